package dev.kinesisaggs.producer.source;

import dev.kinesisaggs.core.lines.ByteLines;
import dev.kinesisaggs.core.trip.Rejection;
import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripParser;
import dev.kinesisaggs.core.trip.TripResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Trips from a JSON-lines file: one trip JSON per line, in the workshop producer's form (the stream's own format,
 * so a file of records read off a stream can be sent again). Each line is read as bytes with core's
 * {@link TripParser}; a line it rejects, bytes that are not UTF-8 included, comes out as a {@link SourceItem.BadRow}
 * with its line number, the parser's reason and its bytes as they are (a record off a stream may hold any bytes,
 * and {@code --send-bad-rows} sends them unchanged). Lines end at {@code \n}, and a {@code \r} before it is dropped.
 * Blank lines are skipped.
 */
public final class JsonLinesTripSource implements TripSource {

    private final ByteLines lines;
    private final String name;
    /**
     * Past the function's limit of a Kinesis record's size: a line is input, and what is sent is the trip written anew
     * (unknown fields and spaces left out; its fields are bounded, so it is small), or with --send-bad-rows the line
     * itself, whose size the producer checks then. With the limit, a clean trip padded past 1 MiB was refused while one
     * just under it was sent as a few hundred bytes. Bounded all the same, under Jackson's longest string (20 million
     * characters), past which its reason and the fast parser's would differ.
     */
    private final TripParser parser = new TripParser(16 * 1024 * 1024);
    private long lineNumber;

    private JsonLinesTripSource(InputStream in, String name) {
        this.lines = new ByteLines(in);
        this.name = name;
    }

    /** Opens a file. */
    public static JsonLinesTripSource open(Path file) throws IOException {
        return new JsonLinesTripSource(Files.newInputStream(file), String.valueOf(file.getFileName()));
    }

    /** Opens the file afresh each time: a source for {@link LoopingTripSource} too. */
    public static TripSourceOpener opener(Path file) {
        return () -> open(file);
    }

    @Override
    public Optional<SourceItem> next() throws IOException {
        byte[] bytes;
        do {
            bytes = lines.next();
            if (bytes == null) {
                return Optional.empty();
            }
            lineNumber++;
        } while (isBlank(bytes));
        TripResult result = parser.parse(bytes);
        if (result instanceof Trip trip) {
            return Optional.of(new SourceItem.GoodTrip(trip, lineNumber));
        }
        Rejection rejection = (Rejection) result;
        return Optional.of(new SourceItem.BadRow(lineNumber, new String(bytes, StandardCharsets.UTF_8), rejection.detail(), bytes));
    }

    /** As {@link String#isBlank} judges the line's text; without decoding it when it is ASCII. */
    private static boolean isBlank(byte[] bytes) {
        for (byte b : bytes) {
            if (b < 0) {
                return new String(bytes, StandardCharsets.UTF_8).isBlank();
            }
            if (!Character.isWhitespace(b)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public void close() throws IOException {
        lines.close();
    }
}
