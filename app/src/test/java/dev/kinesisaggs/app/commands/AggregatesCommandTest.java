package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.app.aggregates.SkippedItems;
import dev.kinesisaggs.function.tables.AggregateItems.NotAnAggregate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class AggregatesCommandTest {

    @Test
    void helpNamesEveryOptionAndItsDefault() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new AggregatesCommand(Clock.systemUTC(), (endpoint, region) -> {
            throw new AssertionError("help must not open a client");
        }));
        cli.setOut(new PrintWriter(out));

        int code = cli.execute("--help");

        assertThat(code).isZero();
        assertThat(out.toString()).contains("Usage: aggregates", "--table=NAME", "--from=TIME", "--to=TIME", "--vendor=ID",
                "--format=FORMAT", "--endpoint=URL", "--region=REGION", "-15m", "default: table",
                "default: " + System.getenv().getOrDefault("dynamoDBTableName", "kinesisAggs"));
    }

    @Test
    void saysInOneSentenceHowManyItemsItSkippedWithAnExample() {
        NotAnAggregate garbage = new NotAnAggregate("vendorId 1, windowStart \"garbage\"", "no windowEnd");

        assertThat(AggregatesCommand.skippedNote("kinesisAggs", new SkippedItems(1, Optional.of(garbage))))
                .isEqualTo("Skipped 1 item of kinesisAggs that is not a window aggregate (vendorId 1, windowStart \"garbage\":"
                        + " no windowEnd).");
        assertThat(AggregatesCommand.skippedNote("kinesisAggs", new SkippedItems(3, Optional.of(garbage))))
                .isEqualTo("Skipped 3 items of kinesisAggs that are not window aggregates (for example vendorId 1,"
                        + " windowStart \"garbage\": no windowEnd).");
    }
}
