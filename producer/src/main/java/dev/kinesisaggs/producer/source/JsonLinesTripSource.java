package dev.kinesisaggs.producer.source;

import dev.kinesisaggs.core.trip.Rejection;
import dev.kinesisaggs.core.trip.Trip;
import dev.kinesisaggs.core.trip.TripParser;
import dev.kinesisaggs.core.trip.TripResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Trips from a JSON-lines file: one trip JSON per line, in the workshop producer's form (the stream's own format,
 * so a file of records read off a stream can be sent again). Each line is read with core's {@link TripParser};
 * a line it rejects comes out as a {@link SourceItem.BadRow} with its line number and the parser's reason.
 * Blank lines are skipped.
 */
public final class JsonLinesTripSource implements TripSource {

    private final BufferedReader in;
    private final String name;
    private final TripParser parser = new TripParser();
    private long lineNumber;

    private JsonLinesTripSource(BufferedReader in, String name) {
        this.in = in;
        this.name = name;
    }

    /** Opens a UTF-8 file. */
    public static JsonLinesTripSource open(Path file) throws IOException {
        return new JsonLinesTripSource(Files.newBufferedReader(file, StandardCharsets.UTF_8), String.valueOf(file.getFileName()));
    }

    /** Opens the file afresh each time: a source for {@link LoopingTripSource} too. */
    public static TripSourceOpener opener(Path file) {
        return () -> open(file);
    }

    @Override
    public Optional<SourceItem> next() throws IOException {
        String line;
        do {
            line = in.readLine();
            if (line == null) {
                return Optional.empty();
            }
            lineNumber++;
        } while (line.isBlank());
        TripResult result = parser.parse(line.getBytes(StandardCharsets.UTF_8));
        if (result instanceof Trip trip) {
            return Optional.of(new SourceItem.GoodTrip(trip));
        }
        Rejection rejection = (Rejection) result;
        return Optional.of(new SourceItem.BadRow(lineNumber, line, rejection.detail()));
    }

    @Override
    public String describe() {
        return name;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
