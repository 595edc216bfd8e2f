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

    /** Where the lines come from: a file's bytes (a line that is not UTF-8 is a bad row), or characters. */
    private interface Lines {
        Utf8Lines.Line next() throws IOException;

        void close() throws IOException;
    }

    private final Lines in;
    private final String source;
    private final TripCsv layout;
    private final TripCsv.Form form;
    private long lineNumber;
    private boolean iterated;
    /** The first data line, read ahead to tell the form of its years; null once it is handed out. */
    private Utf8Lines.Line firstDataLine;
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
        this(characters(reader instanceof BufferedReader b ? b : new BufferedReader(reader, 1 << 16)), source);
    }

    private TripCsvReader(Lines in, String source) {
        this.in = in;
        this.source = source;
        Utf8Lines.Line firstLine = readLine();
        if (firstLine != null && !firstLine.utf8()) {
            throw new IllegalArgumentException(source + " is not UTF-8 text (its first line is not): give a workshop trip CSV,"
                    + " saved as UTF-8");
        }
        String first = firstLine == null ? null : firstLine.text();
        if (first == null) {
            throw new IllegalArgumentException(source + " is empty; give a workshop trip CSV whose first line is "
                    + TripCsv.HEADER + ", or a trip row in these columns");
        }
        first = TripCsv.stripBom(first);
        this.layout = TripCsv.fromFirstLine(first, source);
        if (layout.hasHeader()) {
            firstDataLine = readNonBlank();
        } else {
            firstDataLine = new Utf8Lines.Line(first);
        }
        firstDataLineNumber = lineNumber;
        this.form = new TripCsv.Form(layout.hasHeader(), layout.years(firstDataLine == null ? null : firstDataLine.text()));
    }

    /** Opens a UTF-8 file (a line that is not UTF-8 is a bad row of its own); close the reader when done. */
    public static TripCsvReader open(Path path) throws IOException {
        Utf8Lines lines = new Utf8Lines(Files.newInputStream(path));
        try {
            return new TripCsvReader(new Lines() {
                @Override
                public Utf8Lines.Line next() throws IOException {
                    return lines.next();
                }

                @Override
                public void close() throws IOException {
                    lines.close();
                }
            }, path.getFileName() == null ? path.toString() : path.getFileName().toString());
        } catch (RuntimeException e) {
            lines.close();
            throw e;
        }
    }

    private static Lines characters(BufferedReader reader) {
        return new Lines() {
            @Override
            public Utf8Lines.Line next() throws IOException {
                String line = reader.readLine();
                return line == null ? null : new Utf8Lines.Line(line);
            }

            @Override
            public void close() throws IOException {
                reader.close();
            }
        };
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
        Utf8Lines.Line line;
        long number;
        if (firstDataLine != null) {
            line = firstDataLine;
            number = firstDataLineNumber;
            firstDataLine = null;
        } else {
            line = readNonBlank();
            number = lineNumber;
        }
        if (line == null) {
            return null;
        }
        return line.utf8() ? layout.parse(number, line.text())
                : new CsvRow.Bad(number, line.text(), "the line is not UTF-8 text (a byte no UTF-8 character has)", line.notUtf8Bytes());
    }

    private Utf8Lines.Line readNonBlank() {
        Utf8Lines.Line line;
        do {
            line = readLine();
        } while (line != null && line.text().isBlank());
        return line;
    }

    private Utf8Lines.Line readLine() {
        try {
            Utf8Lines.Line line = in.next();
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
