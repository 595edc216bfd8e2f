package dev.kinesisaggs.app.aggregates;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import dev.kinesisaggs.localaws.LocalAws;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/** The query against dynalite, on a table laid out as the function writes it. */
class AggregatesQueryIT {

    // the emulators are shared by every test class of the run: each class has tables of its own
    private static final String TABLE = AggregateTables.uniqueName("aggregatesQueryIT");
    private static final Instant T0 = Instant.parse("2016-01-01T00:00:00Z");
    private static final List<WindowAggregate> WRITTEN = new ArrayList<>();
    // Emulators of this class's own, stopped after it: the command line's tests check that no
    // emulator is left among this JVM's processes, which the run-wide shared ones would be.
    private static LocalAws aws;
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void fill() {
        aws = LocalAws.start();
        dynamo = aws.dynamoDb();
        AggregateTables.createAggregates(dynamo, TABLE);
        // three vendors, ten 30 s windows; vendor 3 also has distance and duration
        for (int i = 0; i < 10; i++) {
            Instant start = T0.plusSeconds(30L * i);
            for (long vendor = 1; vendor <= 3; vendor++) {
                WindowAggregate w = vendor == 3
                        ? new WindowAggregate(vendor, start, start.plusSeconds(30), 10 + i, 5 + i,
                                Optional.of(new BigDecimal(i + ".25")), Optional.of(BigDecimal.valueOf(600L * i)))
                        : WindowAggregate.of(vendor, start, start.plusSeconds(30), vendor * 100 + i, vendor * 10 + i);
                AggregateTables.put(dynamo, TABLE, w);
                WRITTEN.add(w);
            }
        }
        // vendor 4 had trips in the first window only
        WindowAggregate lone = WindowAggregate.of(4, T0, T0.plusSeconds(30), 2, 1);
        AggregateTables.put(dynamo, TABLE, lone);
        WRITTEN.add(lone);
        WRITTEN.sort(WindowAggregate.BY_WINDOW_THEN_VENDOR);
    }

    @AfterAll
    static void stop() {
        if (aws != null) {
            aws.close();
        }
    }

    private static AggregatesQuery query() {
        return new AggregatesQuery(dynamo, TABLE);
    }

    private static List<WindowAggregate> written(TimeRange range, Set<Long> vendors) {
        return WRITTEN.stream()
                .filter(w -> range.contains(w.windowStart()) && (vendors.isEmpty() || vendors.contains(w.vendorId())))
                .toList();
    }

    @Test
    void readsEveryWindowOfEveryVendorByDefault() {
        assertThat(query().find(TimeRange.ALL, Set.of())).hasSize(31).containsExactlyElementsOf(WRITTEN);
    }

    @Test
    void scansForATimeRangeWhenVendorsAreUnknown() {
        TimeRange range = new TimeRange(Optional.of(T0.plusSeconds(60)), Optional.of(T0.plusSeconds(180)));

        List<WindowAggregate> found = query().find(range, Set.of());

        assertThat(found).hasSize(12).containsExactlyElementsOf(written(range, Set.of()));
    }

    @Test
    void queriesEachNamedVendorOnItsKeyRange() {
        TimeRange range = new TimeRange(Optional.of(T0.plusSeconds(60)), Optional.of(T0.plusSeconds(180)));

        List<WindowAggregate> found = query().find(range, Set.of(2L, 3L));

        assertThat(found).extracting(WindowAggregate::vendorId).containsOnly(2L, 3L);
        assertThat(found).containsExactlyElementsOf(written(range, Set.of(2L, 3L)));
    }

    @Test
    void boundsWithFractionsOfASecondAreExact() {
        // from 00:01:00.5: the window starting at 00:01:00 is out, 00:01:30 is in
        TimeRange range = new TimeRange(Optional.of(T0.plusMillis(60_500)), Optional.of(T0.plusMillis(120_001)));

        assertThat(query().find(range, Set.of(1L))).extracting(WindowAggregate::windowStart)
                .containsExactly(T0.plusSeconds(90), T0.plusSeconds(120));
        assertThat(query().find(range, Set.of())).extracting(WindowAggregate::windowStart)
                .containsOnly(T0.plusSeconds(90), T0.plusSeconds(120));
    }

    @Test
    void aVendorWithNoWindowsGivesNone() {
        assertThat(query().find(TimeRange.ALL, Set.of(9L))).isEmpty();
    }

    @Test
    void recentKeepsTheNewestWindowsOfAllVendorsWithOrWithoutKnownVendors() {
        // vendor 4's only window is older than the newest three: it is not among them
        List<WindowAggregate> newestThree = WRITTEN.stream()
                .filter(w -> !w.windowStart().isBefore(T0.plusSeconds(210))).toList();

        AggregatesQuery.RecentWindows scanned = query().recent(Optional.empty(), Set.of(), 3, 10_000);
        AggregatesQuery.RecentWindows queried = query().recent(Optional.empty(), Set.of(1L, 2L, 3L, 4L), 3, 10_000);

        assertThat(newestThree).hasSize(9);
        assertThat(scanned.complete()).isTrue();
        assertThat(scanned.windows()).containsExactlyElementsOf(newestThree);
        assertThat(queried.complete()).isTrue();
        assertThat(queried.windows()).containsExactlyElementsOf(newestThree);
    }

    @Test
    void recentStartsAtSince() {
        Instant since = T0.plusSeconds(240);

        AggregatesQuery.RecentWindows recent = query().recent(Optional.of(since), Set.of(), 100, 10_000);

        assertThat(recent.windows()).containsExactlyElementsOf(written(TimeRange.since(since), Set.of()));
    }

    @Test
    void recentStopsScanningAtItsBoundAndSaysSo() {
        AggregatesQuery.RecentWindows bounded = query().recent(Optional.empty(), Set.of(), 100, 7);

        assertThat(bounded.complete()).isFalse();
        assertThat(bounded.windows()).hasSize(7);
    }

    @Test
    void recentReadsOfTheNewFormatStopAtTheirBoundToo() {
        String table = AggregateTables.uniqueName("boundedParts");
        AggregateTables.createAggregates(dynamo, table);
        Instant start = Instant.parse("2016-01-02T00:00:00Z");
        for (long vendor = 1; vendor <= 30; vendor++) {
            AggregateTables.addPart(dynamo, table, "shardId-000000000000", WindowAggregate.of(vendor, start, start.plusSeconds(30), 1, 1));
        }
        AggregatesQuery parts = new AggregatesQuery(dynamo, table);

        AggregatesQuery.RecentWindows all = parts.recent(Optional.empty(), Set.of(), 10, 10_000);
        AggregatesQuery.RecentWindows bounded = parts.recent(Optional.empty(), Set.of(), 10, 70);

        assertThat(all.complete()).isTrue();
        assertThat(all.windows()).hasSize(30);
        // 60 markers (30 runs' openings and parts), then vendor queries until 70 items are read: 10 of the 30 vendors,
        // and it says so
        assertThat(bounded.complete()).isFalse();
        assertThat(bounded.windows()).hasSize(10);
    }

    /**
     * Found by probing: a redrive given a window of 30 s where the mapping's were 10 s, and a mapping started again with
     * 20 s windows where they had been 10 s. Every record counts once, whatever range the windows are read in.
     */
    @Test
    void windowsOfAnotherLengthCountEachRecordOnceWhateverTheRangeRead() {
        String table = AggregateTables.uniqueName("windowLengths");
        AggregateTables.createAggregates(dynamo, table);
        AggregatesQuery query = new AggregatesQuery(dynamo, table);
        Instant t = Instant.parse("2017-07-01T00:00:00Z");
        // shard a: three 10 s windows that each lost a batch, then the redrive of all three as one 30 s window
        AggregateTables.addRun(dynamo, table, "a", t, t.plusSeconds(10), "m1", 100, 20, 40, 20);
        AggregateTables.addRun(dynamo, table, "a", t.plusSeconds(10), t.plusSeconds(20), "m2", 130, 30, 60, 30);
        AggregateTables.addRun(dynamo, table, "a", t.plusSeconds(20), t.plusSeconds(30), "m3", 160, 25, 50, 25);
        AggregateTables.addRun(dynamo, table, "a", t, t.plusSeconds(30), "redrive", 100, 90, 180, 90);
        // shard b: a 10 s window closed, then 20 s windows from where the mapping was, under the same start
        AggregateTables.addRun(dynamo, table, "b", t, t.plusSeconds(10), "ten", 500, 50, 100, 50);
        AggregateTables.addRun(dynamo, table, "b", t, t.plusSeconds(20), "twenty", 550, 50, 100, 50);

        assertThat(trips(query.find(TimeRange.ALL, Set.of()))).as("every window").isEqualTo(90 + 50 + 50);
        assertThat(trips(query.find(new TimeRange(Optional.of(t.plusSeconds(10)), Optional.of(t.plusSeconds(30))), Set.of())))
                .as("the windows after the first, whose records the redrive's window holds").isZero();
        assertThat(trips(query.find(new TimeRange(Optional.of(t), Optional.of(t.plusSeconds(1))), Set.of(1L))))
                .as("the first start alone").isEqualTo(90 + 50 + 50);
        assertThat(query.read(TimeRange.ALL, Set.of(), Integer.MAX_VALUE).incompleteWindows()).isEmpty();
        assertThat(query.shardWindow(t.plusSeconds(10), "a")).as("a mapping window whose records the redrive's holds")
                .isEqualTo(new AggregatesQuery.ShardWindowCount(OptionalLong.empty(), 1, true));
        assertThat(query.shardWindow(t, "b")).as("two runs under one start, of windows of two lengths")
                .isEqualTo(new AggregatesQuery.ShardWindowCount(OptionalLong.of(100), 0, false));
    }

    private static long trips(List<WindowAggregate> windows) {
        return windows.stream().mapToLong(WindowAggregate::trips).sum();
    }

    @Test
    void aShardsWindowSaysWhatItsCountedRunCoveredAndWhatIsWrittenButNotCounted() {
        // a table of its own: the others here hold only the previous format's items
        String table = AggregateTables.uniqueName("shardWindow");
        AggregateTables.createAggregates(dynamo, table);
        AggregatesQuery query = new AggregatesQuery(dynamo, table);
        Instant start = Instant.parse("2017-06-01T00:00:00Z");
        WindowAggregate w = WindowAggregate.of(1, start, start.plusSeconds(30), 3, 2);
        AggregateTables.addPart(dynamo, table, "complete", w);
        AggregateTables.addUnfinishedPart(dynamo, table, "given-up", w);

        assertThat(query.shardWindow(start, "complete/1")).as("a complete run of one Kinesis record")
                .isEqualTo(new AggregatesQuery.ShardWindowCount(OptionalLong.of(1), 0, false));
        assertThat(query.shardWindow(start, "given-up/1")).as("a part whose run never ended")
                .isEqualTo(new AggregatesQuery.ShardWindowCount(OptionalLong.empty(), 1, false));
        assertThat(query.shardWindow(start, "never-written/1"))
                .isEqualTo(new AggregatesQuery.ShardWindowCount(OptionalLong.empty(), 0, false));
        AggregateTables.addOpening(dynamo, table, "opened", start, start.plusSeconds(30), "given-up-before-a-part", 7);
        assertThat(query.shardWindow(start, "opened")).as("a run that wrote its opening only: no part")
                .isEqualTo(new AggregatesQuery.ShardWindowCount(OptionalLong.empty(), 0, false));
        assertThat(query.shardWindow(start.plusSeconds(30), "complete/1")).as("the next window")
                .isEqualTo(new AggregatesQuery.ShardWindowCount(OptionalLong.empty(), 0, false));
    }

    /**
     * A shard whose run of one part was given up at its final invoke: the window is read with the other shard's sums,
     * and said to be incomplete; a view of recent windows does not list a window that has only begun.
     */
    @Test
    void aRunThatWroteItsOpeningOnlyMakesItsWindowIncompleteAndAWindowOnlyBegunIsNotRecent() {
        String table = AggregateTables.uniqueName("opening");
        AggregateTables.createAggregates(dynamo, table);
        AggregatesQuery query = new AggregatesQuery(dynamo, table);
        Instant start = Instant.parse("2017-07-01T00:00:00Z");
        Instant next = start.plusSeconds(30);
        AggregateTables.addRun(dynamo, table, "shardId-a", start, next, "a-run", 100, 4, 9, 4);
        AggregateTables.addOpening(dynamo, table, "shardId-b", start, next, "b-run", 200);
        AggregateTables.addOpening(dynamo, table, "shardId-a", next, next.plusSeconds(30), "in-progress", 104);

        AggregatesQuery.Result result = query.read(TimeRange.ALL, Set.of(), Integer.MAX_VALUE);
        assertThat(result.windows()).extracting(WindowAggregate::windowStart, WindowAggregate::passengers, WindowAggregate::trips)
                .containsExactly(tuple(start, 9L, 4L));
        assertThat(result.partialWindows()).as("the other shard's sums shown").containsExactly(start);
        assertThat(result.begunWindows()).as("nothing to show yet").containsExactly(next);
        AggregatesQuery.RecentWindows recent = query.recent(Optional.empty(), Set.of(), 1, 100);
        assertThat(recent.windows()).as("the newest window with sums").isEqualTo(result.windows());
        assertThat(recent.partialWindows()).containsExactly(start);

        String begun = AggregateTables.uniqueName("onlyBegun");
        AggregateTables.createAggregates(dynamo, begun);
        AggregateTables.addOpening(dynamo, begun, "shardId-a", start, next, "in-progress", 1);
        AggregatesQuery.RecentWindows nothingYet = new AggregatesQuery(dynamo, begun).recent(Optional.empty(), Set.of(), 10, 100);
        assertThat(nothingYet.windows()).isEmpty();
        assertThat(nothingYet.complete()).isTrue();
        assertThat(nothingYet.partialWindows()).isEmpty();
    }

    @Test
    void followsScanPagesToTheEnd() {
        String big = AggregateTables.uniqueName("bigAggs");
        AggregateTables.createAggregates(dynamo, big);
        // items of about 4 KB (a padding attribute the query does not project): 600 of them are more
        // than the 1 MB a Scan page may read, so the scan needs several pages
        String padding = "x".repeat(4000);
        for (int i = 0; i < 600; i++) {
            Instant start = T0.plusSeconds(30L * i);
            Map<String, AttributeValue> item = Map.of(
                    "vendorId", AttributeValue.fromN(Long.toString(1 + i % 2)),
                    "windowStart", AttributeValue.fromS(start.toString()),
                    "windowEnd", AttributeValue.fromS(start.plusSeconds(30).toString()),
                    "passenger", AttributeValue.fromN(Integer.toString(i)),
                    "trips", AttributeValue.fromN("1"),
                    "padding", AttributeValue.fromS(padding));
            dynamo.putItem(b -> b.tableName(big).item(item));
        }
        AtomicInteger scans = new AtomicInteger();
        try (DynamoDbClient counting = aws.clients().newDynamoDbClient(ClientOverrideConfiguration.builder()
                .addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        if (context.request() instanceof ScanRequest) {
                            scans.incrementAndGet();
                        }
                    }
                })
                .build())) {
            List<WindowAggregate> found = new AggregatesQuery(counting, big).find(TimeRange.ALL, Set.of());

            assertThat(scans.get()).isGreaterThan(1);
            assertThat(found).hasSize(600);
            assertThat(found.stream().map(WindowAggregate::passengers).collect(Collectors.toSet())).hasSize(600);
            assertThat(found).isSortedAccordingTo(Comparator.comparing(WindowAggregate::windowStart));
        }
    }
}
