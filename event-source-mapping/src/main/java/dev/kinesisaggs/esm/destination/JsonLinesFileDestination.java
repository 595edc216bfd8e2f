package dev.kinesisaggs.esm.destination;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.invocation.EventJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/** Appends each failure record as one JSON line to a file: the local stand-in for an SQS queue. */
public final class JsonLinesFileDestination implements FailureDestination {

    private final Path file;

    /** True for a destination the mapping writes as a file: neither a queue nor a bucket nor any other ARN. */
    public static boolean namesFile(String destination) {
        return !SqsDestination.isQueue(destination) && !S3Destination.isBucketArn(destination) && !destination.startsWith("arn:");
    }

    /**
     * Opens the file for appending once (creating it and its directories), so that a file that cannot be written is
     * refused when the mapping is made, not found out when its first failure record is dropped.
     *
     * @throws UncheckedIOException with a sentence that says what to do
     */
    public JsonLinesFileDestination(Path file) {
        this.file = file;
        try {
            append("");
        } catch (IOException e) {
            throw new UncheckedIOException("The on-failure destination file " + file + " cannot be written (" + reason(e)
                    + "): give a file in a directory this program may write to", e);
        }
    }

    @Override
    public synchronized void deliver(ObjectNode failureRecord) {
        try {
            append(EventJson.write(failureRecord) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the on-failure destination file " + file + " (" + reason(e) + ")", e);
        }
    }

    private void append(String text) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    private static String reason(IOException e) {
        return e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT)
                + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    @Override
    public String describe() {
        return "file " + file;
    }
}
