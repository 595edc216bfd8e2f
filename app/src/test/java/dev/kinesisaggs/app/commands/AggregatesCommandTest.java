package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
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
}
