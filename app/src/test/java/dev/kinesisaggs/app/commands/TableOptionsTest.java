package dev.kinesisaggs.app.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinesisaggs.app.UserErrors;
import dev.kinesisaggs.function.tables.TableNames;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;

/** A table is the same option, with the same default, in every command that takes it. */
class TableOptionsTest {
    private static final Set<String> TABLE_OPTIONS = Set.of("--table", "--aggregates-table", "--trips-table", "--rejects-table");

    private static CommandLine commandLine() {
        return KinesisAggs.commandLine(() -> {
            throw new AssertionError("no command runs here");
        }, Clock.systemUTC());
    }

    /** Per command, its table options by their longest name; with the variables in their defaults as written. */
    private static Map<String, Map<String, OptionSpec>> tableOptionsByCommand() {
        return tableOptionsByCommand(false);
    }

    private static Map<String, Map<String, OptionSpec>> tableOptionsByCommand(boolean interpolated) {
        Map<String, Map<String, OptionSpec>> byCommand = new TreeMap<>();
        commandLine().setInterpolateVariables(interpolated).getSubcommands().forEach((name, command) -> {
            Map<String, OptionSpec> options = command.getCommandSpec().options().stream()
                    .filter(o -> List.of(o.names()).stream().anyMatch(TABLE_OPTIONS::contains))
                    .collect(Collectors.toMap(OptionSpec::longestName, o -> o, (a, b) -> a, TreeMap::new));
            if (!options.isEmpty()) {
                byCommand.put(name, options);
            }
        });
        return byCommand;
    }

    @Test
    void eachCommandTakesTheTablesItReads() {
        Map<String, Set<String>> tables = new TreeMap<>();
        tableOptionsByCommand().forEach((command, options) -> tables.put(command, options.keySet()));

        assertThat(tables).isEqualTo(Map.of(
                "aggregates", Set.of("--aggregates-table"),
                "consume", Set.of("--aggregates-table", "--trips-table", "--rejects-table"),
                "dashboard", Set.of("--aggregates-table", "--rejects-table"),
                "local", Set.of("--aggregates-table", "--trips-table", "--rejects-table"),
                "redrive", Set.of("--aggregates-table", "--trips-table", "--rejects-table"),
                "rejects", Set.of("--rejects-table")));
    }

    @Test
    void everyCommandTakesATableUnderTheSameNamesWithTheSameDefault() {
        Map<String, String> expectedDefaults = Map.of(
                "--aggregates-table", "${env:dynamoDBTableName:-kinesisAggs}",
                "--trips-table", "${env:tripsTableName:-kinesisAggsTrips}",
                "--rejects-table", "${env:rejectsTableName:-kinesisAggsRejects}");
        tableOptionsByCommand().forEach((command, options) -> options.forEach((name, option) -> {
            assertThat(option.names()).as(command + " " + name)
                    .containsExactlyInAnyOrder(name.equals("--aggregates-table") ? new String[] {"--table", "--aggregates-table"}
                            : new String[] {name});
            assertThat(option.defaultValue()).as(command + " " + name).isEqualTo(expectedDefaults.get(name));
            assertThat(option.description()).as(command + " " + name)
                    .isEqualTo(tableOptionsByCommand().get("consume").get(name).description());
        }));
    }

    @Test
    void theDefaultIsTheFunctionsVariableElseTheTemplatesName() {
        Map<String, OptionSpec> consume = tableOptionsByCommand(true).get("consume");

        assertThat(consume.get("--aggregates-table").defaultValue())
                .isEqualTo(System.getenv().getOrDefault(TableNames.AGGREGATES_VARIABLE, TableNames.DEFAULT_AGGREGATES));
        assertThat(consume.get("--trips-table").defaultValue())
                .isEqualTo(System.getenv().getOrDefault(TableNames.TRIPS_VARIABLE, TableNames.DEFAULT_TRIPS));
        assertThat(consume.get("--rejects-table").defaultValue())
                .isEqualTo(System.getenv().getOrDefault(TableNames.REJECTS_VARIABLE, TableNames.DEFAULT_REJECTS));
    }

    @Command(name = "test")
    static final class Holder {
        @Mixin
        TableOptions tables;
    }

    private static TableNames parse(String... args) {
        Holder holder = new Holder();
        new CommandLine(holder).parseArgs(args);
        return holder.tables.names();
    }

    @Test
    void theOlderNameAndTheNewOneAreOneOption() {
        assertThat(parse("--table", "aggs").aggregates()).isEqualTo("aggs");
        assertThat(parse("--aggregates-table", "aggs").aggregates()).isEqualTo("aggs");
    }

    @Test
    void aBlankAggregatesTableIsTheDefaultAsForTheFunctionAndABlankOtherIsNone() {
        TableNames names = parse("--table", " ", "--trips-table", "", "--rejects-table", "");

        assertThat(names).isEqualTo(new TableNames(TableNames.DEFAULT_AGGREGATES, null, null));
    }

    @Test
    void theDashboardRefusesNoQuarantineTableInOneSentence() {
        StringWriter err = new StringWriter();
        CommandLine cli = commandLine().setErr(new PrintWriter(err, true));

        int code = cli.execute("dashboard", "--rejects-table", "");
        assertThat(code).as(err.toString()).isEqualTo(UserErrors.USAGE);
        assertThat(err.toString()).startsWith("--rejects-table is empty: the dashboard counts the rejects in the quarantine table,"
                + " so name it.");
    }
}
