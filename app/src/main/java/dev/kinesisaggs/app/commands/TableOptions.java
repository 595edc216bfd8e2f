package dev.kinesisaggs.app.commands;

import dev.kinesisaggs.app.UserError;
import dev.kinesisaggs.function.tables.TableNames;
import java.util.Optional;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The function's tables as options, under the same names and with the same default in every command that takes one:
 * the function's own environment variable ({@code dynamoDBTableName}, {@code tripsTableName}, {@code rejectsTableName},
 * which the SAM template sets), else the template's name. {@code consume} and {@code redrive} take all three;
 * {@code aggregates} takes {@link Aggregates}, {@code dashboard} {@link Aggregates} and {@link Rejects}.
 */
public final class TableOptions {

    @Mixin
    Aggregates aggregates;

    @Mixin
    Trips trips;

    @Mixin
    Rejects rejects;

    /** @throws UserError when one name is given to two of the tables */
    public TableNames names() {
        try {
            return new TableNames(aggregates.name(), trips.name, rejects.name);
        } catch (IllegalArgumentException twice) {
            throw new UserError(twice.getMessage() + ": give --table, --trips-table and --rejects-table different names.");
        }
    }

    /** The aggregates table; {@code --table} is its older name. */
    public static final class Aggregates {
        @Option(names = {"--table", "--aggregates-table"}, paramLabel = "NAME", converter = AwsNames.Table.class,
                defaultValue = "${env:" + TableNames.AGGREGATES_VARIABLE + ":-" + TableNames.DEFAULT_AGGREGATES + "}",
                description = "Aggregates table (default: ${DEFAULT-VALUE}, from the variable " + TableNames.AGGREGATES_VARIABLE
                        + " if set).")
        String name;

        /** The name given; blank is the default, as the function reads its variable. */
        public String name() {
            return name == null || name.isBlank() ? TableNames.DEFAULT_AGGREGATES : name.strip();
        }
    }

    /** The clean trips table, which may be switched off. */
    public static final class Trips {
        @Option(names = "--trips-table", paramLabel = "NAME", converter = AwsNames.Table.class,
                defaultValue = "${env:" + TableNames.TRIPS_VARIABLE + ":-" + TableNames.DEFAULT_TRIPS + "}",
                description = "Clean trips table; empty to not store trips (default: ${DEFAULT-VALUE}, from the variable "
                        + TableNames.TRIPS_VARIABLE + " if set).")
        String name;

        /** Empty when switched off. */
        public Optional<String> name() {
            return name == null || name.isBlank() ? Optional.empty() : Optional.of(name.strip());
        }
    }

    /** The quarantine table, which may be switched off. */
    public static final class Rejects {
        @Option(names = "--rejects-table", paramLabel = "NAME", converter = AwsNames.Table.class,
                defaultValue = "${env:" + TableNames.REJECTS_VARIABLE + ":-" + TableNames.DEFAULT_REJECTS + "}",
                description = "Quarantine table; empty for none, the function then only counts rejects (default: ${DEFAULT-VALUE},"
                        + " from the variable "
                        + TableNames.REJECTS_VARIABLE + " if set).")
        String name;

        /** Empty when switched off. */
        public Optional<String> name() {
            return name == null || name.isBlank() ? Optional.empty() : Optional.of(name.strip());
        }
    }
}
