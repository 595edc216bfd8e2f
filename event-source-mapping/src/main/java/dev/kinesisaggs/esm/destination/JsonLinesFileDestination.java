package dev.kinesisaggs.esm.destination;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.invocation.EventJson;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Appends each failure record as one JSON line to a file: the local stand-in for an SQS queue. */
public final class JsonLinesFileDestination implements FailureDestination {

    private final Path file;

    public JsonLinesFileDestination(Path file) {
        this.file = file;
    }

    @Override
    public synchronized void deliver(ObjectNode failureRecord) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, EventJson.write(failureRecord) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot append to the on-failure destination file " + file, e);
        }
    }

    @Override
    public String describe() {
        return "file " + file;
    }
}
