package dev.kinesisaggs.esm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kinesisaggs.esm.EventSourceMapping;
import dev.kinesisaggs.esm.config.EventSourceMappingConfig;
import dev.kinesisaggs.esm.config.StartingPosition;
import dev.kinesisaggs.esm.destination.InMemoryDestination;
import dev.kinesisaggs.esm.fixtures.HandlerArtifact;
import dev.kinesisaggs.esm.retrieval.InMemoryStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;

/**
 * The mapping invoking a packaged function in execution environments treats each way an invocation can
 * fail as AWS does: an exception, a timeout, a runtime that exits, too much memory, a failed init are
 * all function errors ({@code Unhandled}); retried, then reported to the on-failure destination with the
 * condition that ended them, while the shard goes on.
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MappingWithEnvironmentsIT {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "throw,       256, ''",
        "sleep:5000,  256, ''",
        "exit,        256, ''",
        "oom,         128, ''",
        "ok,          256, FAIL_INIT"})
    void aFailingInvocationIsRetriedThenReportedAsUnhandledAndTheShardGoesOn(String data, int memoryMb, String failInit) {
        Clock clock = Clock.systemUTC();
        InMemoryStream stream = new InMemoryStream("arn:aws:kinesis:us-east-1:000000000000:stream/s", 1, clock);
        InMemoryDestination destination = new InMemoryDestination();
        List<InvocationReport> reports = new CopyOnWriteArrayList<>();
        PackagedFunction.Builder function = PackagedFunction.builder()
                .artifact(HandlerArtifact.zip(dir))
                .handler(HandlerArtifact.PROBE_HANDLER)
                .memorySizeMb(memoryMb)
                .credentials(AnonymousCredentialsProvider.create())
                .log(FunctionLog.discard())
                .reports(reports::add);
        if (!failInit.isEmpty()) {
            function.environmentVariable(failInit, "1");
        }
        EventSourceMappingConfig config = EventSourceMappingConfig.builder()
                .startingPosition(StartingPosition.TRIM_HORIZON)
                .functionTimeout(Duration.ofSeconds(2))
                .maximumRetryAttempts(1)
                .pollInterval(Duration.ofMillis(50))
                .retryBackoffInitial(Duration.ofMillis(50))
                .retryBackoffMax(Duration.ofMillis(100))
                .build();
        String shard = stream.shardIds().get(0);
        try (EventSourceMapping esm = EventSourceMapping.builder().config(config).source(stream).destination(destination)
                .packagedFunction(function.build()).clock(clock).build().start()) {
            stream.append(shard, data, clock.instant());
            await().atMost(Duration.ofSeconds(120)).until(() -> destination.records().size() == 1);
            if (failInit.isEmpty()) {
                // the shard was not blocked: a later record goes through
                stream.append(shard, "ok", clock.instant());
                await().atMost(Duration.ofSeconds(60)).until(() -> esm.status().shards().get(0).lastProcessingResult().equals("OK"));
            }
        }
        ObjectNode failure = destination.records().get(0);
        assertThat(failure.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(failure.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(failure.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(failure.at("/KinesisBatchInfo/batchSize").asInt()).isEqualTo(1);
        assertThat(reports).isNotEmpty();
    }
}
