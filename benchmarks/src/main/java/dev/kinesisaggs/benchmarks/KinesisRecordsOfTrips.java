package dev.kinesisaggs.benchmarks;

import dev.kinesisaggs.core.csv.CsvRow;
import dev.kinesisaggs.core.csv.TripCsvReader;
import dev.kinesisaggs.core.kpl.AddResult;
import dev.kinesisaggs.core.kpl.Aggregator;
import dev.kinesisaggs.core.kpl.PutRecordEntry;
import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The Kinesis records a Lambda event would carry for the first {@code tripCount} clean trips of a
 * workshop CSV, built as the producer builds them: trip JSON, partition key = trip id, and data
 * base64-encoded as in the event's {@code kinesis.data}.
 *
 * @param partitionKeys the Kinesis records' partition keys
 * @param base64Data    their data, base64 as in the Lambda event
 * @param dataBytes     total decoded data size, for the report
 * @param tripCounts    the trips (user records) each Kinesis record holds
 */
record KinesisRecordsOfTrips(String[] partitionKeys, String[] base64Data, long dataBytes, int[] tripCounts) {

    int size() {
        return base64Data.length;
    }

    /** Every clean trip of the CSV, KPL-aggregated as below. */
    static KinesisRecordsOfTrips aggregatedAll(Path csv) {
        return aggregated(csv, ALL);
    }

    /** KPL-aggregated records of at most 51,200 bytes, as the producer sends them. */
    static KinesisRecordsOfTrips aggregated(Path csv, int tripCount) {
        Aggregator aggregator = new Aggregator();
        List<PutRecordEntry> entries = new ArrayList<>();
        for (CsvRow.Clean row : cleanRows(csv, tripCount)) {
            AddResult result = aggregator.add(row.trip().id(), null, TripJson.toBytes(row.trip()));
            if (!(result instanceof AddResult.Accepted accepted)) {
                throw new IllegalStateException("trip on line " + row.lineNumber() + " cannot be aggregated: " + result);
            }
            entries.addAll(accepted.completed());
        }
        aggregator.flush().ifPresent(entries::add);
        return of(entries);
    }

    /** One plain (non-aggregated) record per trip. */
    static KinesisRecordsOfTrips plain(Path csv, int tripCount) {
        List<PutRecordEntry> entries = new ArrayList<>();
        for (CsvRow.Clean row : cleanRows(csv, tripCount)) {
            entries.add(new PutRecordEntry(row.trip().id(), null, TripJson.toBytes(row.trip()), 1, false));
        }
        return of(entries);
    }

    /** Every clean trip of the CSV, as trips. */
    static List<Trip> cleanTrips(Path csv) {
        return cleanRows(csv, ALL).stream().map(CsvRow.Clean::trip).toList();
    }

    private static KinesisRecordsOfTrips of(List<PutRecordEntry> entries) {
        String[] keys = new String[entries.size()];
        String[] data = new String[entries.size()];
        int[] trips = new int[entries.size()];
        long bytes = 0;
        for (int i = 0; i < entries.size(); i++) {
            keys[i] = entries.get(i).partitionKey();
            data[i] = Base64.getEncoder().encodeToString(entries.get(i).data());
            bytes += entries.get(i).data().length;
            trips[i] = entries.get(i).userRecordCount();
        }
        return new KinesisRecordsOfTrips(keys, data, bytes, trips);
    }

    private static final int ALL = Integer.MAX_VALUE;

    private static List<CsvRow.Clean> cleanRows(Path csv, int tripCount) {
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException("The trips CSV " + csv.toAbsolutePath().normalize()
                    + " does not exist: run from the repository root next to ../shared/data, or pass -p tripsCsv=PATH.");
        }
        List<CsvRow.Clean> rows = new ArrayList<>(tripCount == ALL ? 40_000 : tripCount);
        try (TripCsvReader reader = TripCsvReader.open(csv)) {
            for (CsvRow row : reader) {
                if (row instanceof CsvRow.Clean clean) {
                    rows.add(clean);
                    if (rows.size() == tripCount) {
                        return rows;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + csv, e);
        }
        if (tripCount == ALL) {
            return rows;
        }
        throw new IllegalArgumentException("The trips CSV " + csv + " has only " + rows.size()
                + " clean trips; the benchmark needs " + tripCount + ": use the workshop's taxi-trips.csv.");
    }
}
