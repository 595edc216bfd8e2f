package dev.kinesisaggs.esm.destination;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileDestinationTest {

    @TempDir
    Path temp;

    @Test
    void aFileThatCannotBeWrittenIsRefusedWhenTheDestinationIsMadeNotWhenItsFirstRecordIsDropped() throws Exception {
        Path aFile = Files.writeString(temp.resolve("header.csv"), "id\n");
        // a file where a directory should be: not writable whoever runs it, root included
        assertThatThrownBy(() -> new JsonLinesFileDestination(aFile.resolve("failures.jsonl")))
                .isInstanceOf(UncheckedIOException.class)
                .hasMessageStartingWith("The on-failure destination file " + aFile.resolve("failures.jsonl") + " cannot be written (")
                .hasMessageEndingWith("): give a file in a directory this program may write to");
    }

    @Test
    void aWritableFileIsCreatedWithItsDirectoriesAndGetsOneLinePerRecord() throws Exception {
        Path file = temp.resolve("new/dir/failures.jsonl");
        JsonLinesFileDestination destination = new JsonLinesFileDestination(file);
        assertThat(file).exists().isEmptyFile();
        ObjectNode record = new ObjectMapper().createObjectNode().put("requestContext", "x");
        destination.deliver(record);
        destination.deliver(record);
        assertThat(Files.readAllLines(file)).containsExactly("{\"requestContext\":\"x\"}", "{\"requestContext\":\"x\"}");
    }
}
