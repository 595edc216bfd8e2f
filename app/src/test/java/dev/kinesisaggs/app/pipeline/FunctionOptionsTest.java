package dev.kinesisaggs.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinesisaggs.function.tables.TableNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FunctionOptionsTest {

    private static FunctionOptions environment(String variable) {
        return FunctionOptions.parse(List.of("--environment", variable));
    }

    @Test
    void aTableVariableThatRepeatsTheCommandsTableIsTaken() {
        // as the SAM template sets them: a user copying them is not refused
        assertThatCode(() -> environment("tripsTableName=kinesisAggsTrips").check(TableNames.defaults())).doesNotThrowAnyException();
        assertThatCode(() -> environment("dynamoDBTableName=").check(TableNames.defaults()))
                .as("blank: the function's default, the lab's table").doesNotThrowAnyException();
        assertThatCode(() -> environment("rejectsTableName= ").check(new TableNames("a", "t", null)))
                .as("blank: the quarantine switched off, as the command has it").doesNotThrowAnyException();
    }

    @Test
    void aTableVariableNamingAnotherTableIsRefusedForOurFunctionOnly(@TempDir Path artifact) throws Exception {
        assertThatThrownBy(() -> environment("rejectsTableName=").check(TableNames.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--environment rejectsTableName= names another table than the command gives kinesis-aggs' function"
                        + " ('kinesisAggsRejects'), which it checks: name the table with the command's option (--table,"
                        + " --trips-table or --rejects-table) instead");
        // another function's variables are its own
        Files.createDirectories(artifact.resolve("a"));
        Files.write(artifact.resolve("a/B.class"), new byte[0]);
        FunctionOptions another = FunctionOptions.parse(List.of("--function-jar", artifact.toString(), "--handler", "a.B",
                "--environment", "tripsTableName=anything"));
        assertThatCode(() -> another.check(TableNames.defaults())).doesNotThrowAnyException();
    }

    @Test
    void ourFunctionRunsWithTheLeastMemoryItsTemplateAllowsAnotherWithLambdasLeast(@TempDir Path artifact) throws Exception {
        // found by a probe: at 128 MB every invocation of ours ended in OutOfMemoryError: Metaspace, said nowhere but the log
        assertThatThrownBy(() -> FunctionOptions.parse(List.of("--memory-size", "128")).check(TableNames.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kinesis-aggs' function needs --memory-size 256 or more, as its template allows: at 128 MB the java21"
                        + " runtime's metaspace (a tenth of the memory) does not hold its classes, and every invocation ends in"
                        + " OutOfMemoryError: Metaspace");
        assertThatCode(() -> FunctionOptions.parse(List.of("--memory-size", "256")).check(TableNames.defaults())).doesNotThrowAnyException();
        assertThatCode(() -> FunctionOptions.parse(List.of("--memory-size", "128", "--in-process")).check(TableNames.defaults()))
                .as("in process, the command's own JVM").doesNotThrowAnyException();
        Files.createDirectories(artifact.resolve("a"));
        Files.write(artifact.resolve("a/B.class"), new byte[0]);
        assertThatCode(() -> FunctionOptions.parse(List.of("--function-jar", artifact.toString(), "--handler", "a.B", "--memory-size", "128"))
                .check(TableNames.defaults())).doesNotThrowAnyException();
    }

    @Test
    void anotherFunctionIsNamedAfterItsArtifactOrItsFunctionName(@TempDir Path dir) throws Exception {
        Path zip = Files.write(dir.resolve("probe.zip"), new byte[0]);
        Path jar = Files.write(dir.resolve("my handler-1.0.jar"), new byte[0]);
        assertThat(FunctionOptions.parse(List.of("--function-jar", zip.toString(), "--handler", "a.B")).foreignFunctionName())
                .isEqualTo("probe");
        assertThat(FunctionOptions.parse(List.of("--function-jar", jar.toString(), "--handler", "a.B")).foreignFunctionName())
                .as("the characters Lambda does not take in a name made hyphens").isEqualTo("my-handler-1-0");
        assertThat(FunctionOptions.parse(List.of("--function-jar", zip.toString(), "--handler", "a.B", "--function-name", "other_1"))
                .foreignFunctionName()).isEqualTo("other_1");
    }

    @Test
    void aFunctionNameLambdaWouldRefuseOrOneForOurFunctionIsRefused(@TempDir Path artifact) throws Exception {
        Files.createDirectories(artifact.resolve("a"));
        Files.write(artifact.resolve("a/B.class"), new byte[0]);
        assertThatThrownBy(() -> FunctionOptions.parse(List.of("--function-jar", artifact.toString(), "--handler", "a.B",
                "--function-name", "a:b")).check(TableNames.defaults()))
                .hasMessage("--function-name 'a:b' is not a function name as Lambda takes one: 1 to 64 letters, digits, hyphens or underscores");
        assertThatThrownBy(() -> FunctionOptions.parse(List.of("--function-jar", artifact.toString(), "--handler", "a.B",
                "--function-name", "x".repeat(65))).check(TableNames.defaults()))
                .hasMessageStartingWith("--function-name 'xxx");
        assertThatCode(() -> FunctionOptions.parse(List.of("--function-jar", artifact.toString(), "--handler", "a.B",
                "--function-name", "x".repeat(64))).check(TableNames.defaults())).doesNotThrowAnyException();
        assertThatThrownBy(() -> FunctionOptions.parse(List.of("--function-jar", artifact.toString(), "--handler", "a.B",
                "--function-name", "kinesis-aggs-local")).check(TableNames.defaults()))
                .hasMessage("--function-jar's function would be named kinesis-aggs-local, as kinesis-aggs' own function is: give it"
                        + " another name with --function-name");
        assertThat(FunctionOptions.parse(List.of("--function-jar", "/", "--handler", "a.B")).foreignFunctionName()).isEqualTo("function");
        assertThatThrownBy(() -> FunctionOptions.parse(List.of("--function-name", "mine")).check(TableNames.defaults()))
                .hasMessage("--function-name names the function of --function-jar: kinesis-aggs' own is kinesis-aggs-local");
    }
}
