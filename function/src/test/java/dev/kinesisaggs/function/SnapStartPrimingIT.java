package dev.kinesisaggs.function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.amazonaws.services.lambda.runtime.events.TimeWindowEventResponse;
import dev.kinesisaggs.function.priming.SnapStartPriming;
import dev.kinesisaggs.function.storage.DynamoDbClients;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.function.tables.Tables;
import dev.kinesisaggs.function.testing.TestContext;
import dev.kinesisaggs.function.testing.TripRecords;
import dev.kinesisaggs.function.testing.WindowEvents;
import dev.kinesisaggs.localaws.LocalAwsClients;
import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The SnapStart priming hook against dynalite: it runs the hot path and warms the client, and writes nothing. */
@ExtendWith(LocalAwsExtension.class)
class SnapStartPrimingIT {

    private static final AtomicInteger TABLE_SET = new AtomicInteger();

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private DynamoDbClient recorded;
    private TableNames tables;

    @BeforeEach
    void recordingClient(LocalAwsClients clients) {
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                calls.add(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
            }
        };
        recorded = clients.newDynamoDbClient(DynamoDbClients.overrides().toBuilder().addExecutionInterceptor(recorder).build());
        String prefix = "prime" + TABLE_SET.incrementAndGet() + "-";
        tables = new TableNames(prefix + "aggs", prefix + "trips", prefix + "rejects");
    }

    @AfterEach
    void closeClient() {
        recorded.close();
    }

    private TripWindowHandler handler() {
        return new TripWindowHandler(recorded, new FunctionConfig(tables, null, "prime", Duration.ofSeconds(1)),
                Clock.systemUTC(), new PrintStream(PrintStream.nullOutputStream()));
    }

    private long items(DynamoDbClient dynamo, String table) {
        return dynamo.scan(r -> r.tableName(table)).count();
    }

    @Test
    void primingRunsTheHotPathAndOnlyDescribesTheTablesSoTheyStayEmpty(DynamoDbClient dynamo) {
        Tables.createIfMissing(dynamo, tables);

        SnapStartPriming.Primed primed = handler().priming().prime();

        assertThat(primed.hotPathRun()).isTrue();
        assertThat(primed.eventJsonRead()).as("the stream handler's event JSON read").isTrue();
        assertThat(primed.tablesDescribed()).isEqualTo(3);
        assertThat(calls).containsOnly("DescribeTable").hasSize(3);
        assertThat(items(dynamo, tables.aggregates())).isZero();
        assertThat(items(dynamo, tables.trips())).isZero();
        assertThat(items(dynamo, tables.rejects())).isZero();
    }

    @Test
    void withTheTablesMissingTheCheckpointHookLogsAndGoesOn() {
        TripWindowHandler handler = handler();

        assertThatCode(() -> handler.priming().beforeCheckpoint(null)).doesNotThrowAnyException();
        SnapStartPriming.Primed primed = handler.priming().prime();

        assertThat(primed.hotPathRun()).isTrue();
        assertThat(primed.eventJsonRead()).as("the stream handler's event JSON read").isTrue();
        assertThat(primed.tablesDescribed()).isZero();
        assertThat(primed.tablesNotDescribed()).containsExactly(tables.aggregates(), tables.trips(), tables.rejects());
        assertThat(calls).containsOnly("DescribeTable");
    }

    @Test
    void afterPrimingAndARestoreTheHandlerStoresAndFoldsAsBefore(DynamoDbClient dynamo) throws Exception {
        Tables.createIfMissing(dynamo, tables);
        TripWindowHandler handler = handler();
        handler.priming().beforeCheckpoint(null);
        handler.priming().afterRestore(null);

        String shard = "shardId-000000000003";
        Instant arrival = Instant.parse("2020-12-09T07:04:05Z");
        List<WindowEvents.Rec> records = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            records.add(new WindowEvents.Rec(WindowEvents.seq("3", i), "t" + i, arrival, TripRecords.trip("t" + i, 1 + i % 2, 2)));
        }
        TimeWindowEventResponse first = handler.handleRequest(WindowEvents.event(shard, "2020-12-09T07:04:00Z", "2020-12-09T07:04:30Z",
                Map.of(), false, false, records), new TestContext(Clock.systemUTC(), Duration.ofSeconds(60)));
        TimeWindowEventResponse last = handler.handleRequest(WindowEvents.event(shard, "2020-12-09T07:04:00Z", "2020-12-09T07:04:30Z",
                first.getState(), true, false, List.of()), new TestContext(Clock.systemUTC(), Duration.ofSeconds(60)));

        assertThat(first.getBatchItemFailures()).isEmpty();
        assertThat(last.getBatchItemFailures()).isEmpty();
        assertThat(items(dynamo, tables.trips())).isEqualTo(10);
        assertThat(dev.kinesisaggs.function.testing.AggregateTable.read(dynamo, tables.aggregates()).window("2020-12-09T07:04:00Z"))
                .extractingFromEntries(e -> e.getKey() + ":" + e.getValue().trips() + ":" + e.getValue().passengers())
                .containsExactlyInAnyOrder("1:5:10", "2:5:10");
    }
}
