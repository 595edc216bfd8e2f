package dev.kinesisaggs.core.csv;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Reads a workshop trip CSV lazily, one line at a time, so that a file of any size streams in constant memory.
 *
 * <p>The file may start with the header or, without one, with its first trip row ({@link TripCsv#fromFirstLine});
 * {@link #form()} tells which, and the form of the years, at once. Every data line yields a {@link CsvRow}: a clean
 * trip, or a bad row with its line number, the raw line (to send as-is when the producer is asked to) and the
 * reason. Blank lines are skipped. An I/O error while reading is an {@link UncheckedIOException}.
 *
 * <pre>{@code
 * try (TripCsvReader csv = TripCsvReader.open(path)) {
 *     csv.rows().forEach(row -> ...);
 * }
 * }</pre>
 */
public final class TripCsvReader implements Iterable<CsvRow>, Closeable {

    private final BufferedReader in;
    private final String source;
    private final TripCsv layout;
    private final TripCsv.Form form;
    private long lineNumber;
    private boolean iterated;
    /** The first data line, read ahead to tell the form of its years; null once it is handed out. */
    private String firstDataLine;
    private long firstDataLineNumber;

    /**
     * Reads the first line, and the first data line after a header, at once.
     *
     * @param source names the input in error messages (a file name, "stdin")
     * @throws IllegalArgumentException when the input is empty, or its first line is neither the header nor a trip
     *                                  row, or a header that lacks a column
     * @throws UncheckedIOException     when the first lines cannot be read
     */
    public TripCsvReader(Reader reader, String source) {
        this.in = reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16);
        this.source = source;
        String first = readLine();
        if (first == null) {
            throw new IllegalArgumentException(source + " is empty; give a workshop trip CSV whose first line is "
                    + TripCsv.HEADER + ", or a trip row in these columns");
        }
        first = TripCsv.stripBom(first);
        this.layout = TripCsv.fromFirstLine(first, source);
        if (layout.hasHeader()) {
            firstDataLine = readNonBlankLine();
        } else {
            firstDataLine = first;
        }
        firstDataLineNumber = lineNumber;
        this.form = new TripCsv.Form(layout.hasHeader(), layout.years(firstDataLine));
    }

    /** Opens a UTF-8 file; close the reader when done. */
    public static TripCsvReader open(Path path) throws IOException {
        BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
        try {
            return new TripCsvReader(reader, path.getFileName() == null ? path.toString() : path.getFileName().toString());
        } catch (RuntimeException e) {
            reader.close();
            throw e;
        }
    }

    /** The form the file was recognised in: with or without a header, and the years of its first trip row. */
    public TripCsv.Form form() {
        return form;
    }

    /** The rows in file order; can be iterated once. */
    @Override
    public Iterator<CsvRow> iterator() {
        if (iterated) {
            throw new IllegalStateException("the rows of a TripCsvReader can be read only once");
        }
        iterated = true;
        return new Iterator<>() {
            private CsvRow next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = readRow();
                }
                return next != null;
            }

            @Override
            public CsvRow next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                CsvRow row = next;
                next = null;
                return row;
            }
        };
    }

    /** The rows as a lazy sequential stream; closing the stream closes the reader. */
    public Stream<CsvRow> rows() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(iterator(),
                        Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(this::closeQuietly);
    }

    private CsvRow readRow() {
        if (firstDataLine != null) {
            CsvRow row = layout.parse(firstDataLineNumber, firstDataLine);
            firstDataLine = null;
            return row;
        }
        String line = readNonBlankLine();
        return line == null ? null : layout.parse(lineNumber, line);
    }

    private String readNonBlankLine() {
        String line;
        do {
            line = readLine();
        } while (line != null && line.isBlank());
        return line;
    }

    private String readLine() {
        try {
            String line = in.readLine();
            if (line != null) {
                lineNumber++;
            }
            return line;
        } catch (CharacterCodingException e) {
            // the decoder reads ahead by blocks, so the bad byte may be some lines further on
            throw new UncheckedIOException(source + " is not valid UTF-8 (at or after line " + (lineNumber + 1)
                    + "); save the file as UTF-8 and try again", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read line " + (lineNumber + 1) + " of " + source, e);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
