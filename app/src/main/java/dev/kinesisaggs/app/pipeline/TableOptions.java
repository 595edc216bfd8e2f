package dev.kinesisaggs.app.pipeline;

import dev.kinesisaggs.function.storage.TableNames;
import picocli.CommandLine.Option;

/** The function's three tables, for the commands that run it ({@code consume}, {@code redrive}). */
public final class TableOptions {

    @Option(names = "--table", paramLabel = "NAME", defaultValue = TableNames.DEFAULT_AGGREGATES,
            description = "Aggregates table (default: ${DEFAULT-VALUE}).")
    String table;

    @Option(names = "--trips-table", paramLabel = "NAME", defaultValue = TableNames.DEFAULT_TRIPS,
            description = "Clean trips table; empty to not store trips (default: ${DEFAULT-VALUE}).")
    String tripsTable;

    @Option(names = "--rejects-table", paramLabel = "NAME", defaultValue = TableNames.DEFAULT_REJECTS,
            description = "Quarantine table; empty to only count rejects (default: ${DEFAULT-VALUE}).")
    String rejectsTable;

    TableNames names() {
        return new TableNames(table, tripsTable, rejectsTable);
    }
}
