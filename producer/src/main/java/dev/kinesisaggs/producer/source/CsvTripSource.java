package dev.kinesisaggs.producer.source;

import dev.kinesisaggs.core.csv.CsvRow;
import dev.kinesisaggs.core.csv.TripCsv;
import dev.kinesisaggs.core.csv.TripCsvReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Optional;

/**
 * The trips of a workshop CSV ({@code id,vendor_id,pickup_datetime,...}, with or without that header), read lazily
 * with core's {@link TripCsvReader}; a row that is not a clean trip comes out as a {@link SourceItem.BadRow} with its
 * line number.
 */
public final class CsvTripSource implements TripSource {

    private final TripCsvReader reader;
    private final Iterator<CsvRow> rows;
    private final String name;

    private CsvTripSource(TripCsvReader reader, String name) {
        this.reader = reader;
        this.rows = reader.iterator();
        this.name = name;
    }

    /**
     * Opens the file and reads its first lines, to recognise its form.
     *
     * @throws IOException              when the file cannot be opened
     * @throws IllegalArgumentException when it is empty, or its first line is neither the workshop's header nor a trip
     */
    public static CsvTripSource open(Path csv) throws IOException {
        return new CsvTripSource(TripCsvReader.open(csv), String.valueOf(csv.getFileName()));
    }

    /** Opens the file afresh each time: a source for {@link LoopingTripSource} too. */
    public static TripSourceOpener opener(Path csv) {
        return () -> open(csv);
    }

    /** The form the file was recognised in, e.g. without a header and with two-digit years. */
    public TripCsv.Form form() {
        return reader.form();
    }

    @Override
    public Optional<SourceItem> next() throws IOException {
        try {
            if (!rows.hasNext()) {
                return Optional.empty();
            }
            CsvRow row = rows.next();
            if (row instanceof CsvRow.Clean clean) {
                return Optional.of(new SourceItem.GoodTrip(clean.trip(), clean.lineNumber()));
            }
            CsvRow.Bad bad = (CsvRow.Bad) row;
            return Optional.of(new SourceItem.BadRow(bad.lineNumber(), bad.line(), bad.reason(), bad.bytes()));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
