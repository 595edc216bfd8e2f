package dev.kinesisaggs.app.measuring;

import dev.kinesisaggs.core.retry.Backoff;
import dev.kinesisaggs.core.retry.Backoff.Jitter;
import dev.kinesisaggs.core.retry.Sleeper;
import dev.kinesisaggs.app.aggregates.AggregatesQuery;
import dev.kinesisaggs.app.aggregates.TimeRange;
import dev.kinesisaggs.app.aggregates.WindowAggregate;
import dev.kinesisaggs.core.window.ClosedPart;
import dev.kinesisaggs.core.window.VendorTotals;
import dev.kinesisaggs.core.window.WindowTotals;
import dev.kinesisaggs.function.retry.RetryBudget;
import dev.kinesisaggs.function.storage.BatchPutter;
import dev.kinesisaggs.function.storage.CallTimeouts;
import dev.kinesisaggs.function.storage.PartWriter;
import dev.kinesisaggs.function.tables.AggregateItems;
import dev.kinesisaggs.function.tables.Tables;
import dev.kinesisaggs.localaws.LocalAws;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * What one window costs in DynamoDB as the stream grows: the parts of one window written from 2, 10, 100 and 1,000
 * shards (each shard's run one part, as a window of the lab's two vendors makes), with the function's own writer
 * ({@link PartWriter}), every request asking for {@code ReturnConsumedCapacity}; then the window's totals read back
 * with the readers' own query ({@link AggregatesQuery}). Prints, per shard count, the write units and requests per
 * part, the largest item written (by DynamoDB's size rules, {@link ItemSize}), and what reading the window's totals
 * took. A command that prints its figures, not a test ({@code ShardScaleSimulationIT} checks its claims on small
 * counts).
 *
 * <p>From the repository root, after {@code ./mvnw -q -B install -DskipTests -DskipITs}:
 * <pre>
 * ./mvnw -q -pl app exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath dev.kinesisaggs.app.measuring.ShardScaleSimulation [--vendors 2] [SHARDS ...]"
 * </pre>
 */
public final class ShardScaleSimulation {

    private static final Instant FIRST_WINDOW = Instant.parse("2026-01-01T00:00:00Z");

    /**
     * One shard count's figures.
     *
     * @param writeUnits      write capacity units of all the parts' requests
     * @param writeRequests   PutItem and BatchWriteItem requests (the run's opening and the part's marker one each, the
     *                        vendor items 25 to a request)
     * @param checkUnits      read capacity units of the writer's check, per part, that the part is not whole already
     * @param largestItem     the largest item written, in bytes
     * @param readUnits       read capacity units of reading the window's totals (eventually consistent Queries)
     * @param itemsRead       items those Queries returned
     * @param readRequests    Queries made
     */
    record Row(int shards, int vendors, double writeUnits, int writeRequests, double checkUnits, int largestItem, double readUnits,
               int itemsRead,
               int readRequests, Duration readTime, List<WindowAggregate> totals) {

        double writeUnitsPerPart() {
            return writeUnits / shards;
        }

        double writeRequestsPerPart() {
            return (double) writeRequests / shards;
        }
    }

    private ShardScaleSimulation() {
    }

    public static void main(String[] args) {
        int vendors = 2;
        List<Integer> shardCounts = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--vendors")) {
                vendors = Integer.parseInt(args[++i]);
            } else {
                shardCounts.add(Integer.parseInt(args[i]));
            }
        }
        if (shardCounts.isEmpty()) {
            shardCounts = List.of(2, 10, 100, 1_000);
        }
        try (LocalAws aws = LocalAws.start()) {
            CapacityMeter meter = new CapacityMeter();
            try (DynamoDbClient dynamo = aws.clients().newDynamoDbClient(
                    software.amazon.awssdk.core.client.config.ClientOverrideConfiguration.builder().addExecutionInterceptor(meter).build())) {
                String table = "shardScale";
                dynamo.createTable(Tables.aggregatesTable(table));
                int perShard = vendors;
                print(System.out, vendors, shardCounts.stream().map(n -> run(dynamo, meter, table, n, perShard)).toList());
            }
        }
    }

    /** Writes one window's parts from {@code shards} shards, then reads the window's totals. */
    static Row run(DynamoDbClient dynamo, CapacityMeter meter, String table, int shards, int vendors) {
        Instant start = FIRST_WINDOW.plusSeconds(30L * shards); // a window of its own per shard count
        Instant end = start.plusSeconds(30);
        Backoff backoff = new Backoff(Duration.ofMillis(10), Duration.ofMillis(200), Jitter.FULL);
        Random jitter = new Random(7);
        PartWriter writer = new PartWriter(dynamo, table,
                new BatchPutter(dynamo, table, Tables.VENDOR_ID, backoff, jitter, Sleeper.system(), CallTimeouts.defaults(), null),
                backoff, jitter, Sleeper.system(), CallTimeouts.defaults());
        Map<Integer, VendorTotals> byVendor = new HashMap<>();
        for (int v = 1; v <= vendors; v++) {
            byVendor.put(v, new VendorTotals(2L * v, v, 1_500_000L * v, 600L * v)); // a shard's part: v trips of vendor v
        }
        WindowTotals totals = new WindowTotals(byVendor);
        meter.reset();
        for (int s = 0; s < shards; s++) {
            String shardId = String.format("shardId-%012d", s);
            // a shard's sequence numbers grow with time, so that windows written one after another never share a record
            String seq = "4965" + String.format("%052d", start.getEpochSecond() * 1_000_000_000L + (long) s * 1_000_000L);
            AggregateItems.PartPlace place = new AggregateItems.PartPlace(start.toString(), end.toString(), shardId);
            // as the function writes a run of one part: its opening when it begins, its part at the final invoke
            writer.open(place, "run-" + shardId, seq, RetryBudget.unbounded(Clock.systemUTC()));
            writer.write(place, new ClosedPart("run-" + shardId, seq, 1_000, 3, 0, seq, seq, true, totals), RetryBudget.unbounded(Clock.systemUTC()));
        }
        double writeUnits = meter.writeUnits;
        int writeRequests = meter.writeRequests;
        double checkUnits = meter.readUnits;
        int largest = meter.largestItem;

        meter.reset();
        long t0 = System.nanoTime();
        AggregatesQuery.Result read = new AggregatesQuery(dynamo, table)
                .read(new TimeRange(Optional.of(start), Optional.of(end)), Set.of(), Integer.MAX_VALUE);
        Duration readTime = Duration.ofNanos(System.nanoTime() - t0);
        return new Row(shards, vendors, writeUnits, writeRequests, checkUnits, largest, meter.readUnits, meter.itemsRead, meter.readRequests,
                readTime, read.windows());
    }

    static void print(PrintStream out, int vendors, List<Row> rows) {
        out.printf("One 30 s window, %d vendors per shard, every shard's run one part; DynamoDB (dynalite), ReturnConsumedCapacity%n",
                vendors);
        out.println(" shards | WCU/part | writes/part | RCU/part (check) | largest item | reading the window's totals: RCU, items, Queries, ms");
        for (Row r : rows) {
            out.printf("%7d | %8.2f | %11.2f | %16.2f | %10d B | %8.1f %7d %8d %7d%n", r.shards(), r.writeUnitsPerPart(),
                    r.writeRequestsPerPart(), r.checkUnits() / r.shards(), r.largestItem(), r.readUnits(), r.itemsRead(), r.readRequests(),
                    r.readTime().toMillis());
        }
    }

    /** Asks every request for its consumed capacity and adds it up; notes the largest item written. */
    static final class CapacityMeter implements ExecutionInterceptor {
        volatile double writeUnits;
        volatile int writeRequests;
        volatile int largestItem;
        volatile double readUnits;
        volatile int itemsRead;
        volatile int readRequests;

        synchronized void reset() {
            writeUnits = 0;
            writeRequests = 0;
            largestItem = 0;
            readUnits = 0;
            itemsRead = 0;
            readRequests = 0;
        }

        @Override
        public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
            SdkRequest request = context.request();
            if (request instanceof PutItemRequest put) {
                noteSize(put.item());
                return put.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            }
            if (request instanceof BatchWriteItemRequest batch) {
                batch.requestItems().values().forEach(writes -> writes.stream().map(WriteRequest::putRequest)
                        .filter(p -> p != null).forEach(p -> noteSize(p.item())));
                return batch.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            }
            if (request instanceof QueryRequest query) {
                return query.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            }
            if (request instanceof GetItemRequest get) {
                return get.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            }
            if (request instanceof BatchGetItemRequest get) {
                return get.toBuilder().returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build();
            }
            return request;
        }

        @Override
        public synchronized void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
            Object response = context.response();
            if (response instanceof PutItemResponse put) {
                writeRequests++;
                writeUnits += units(put.consumedCapacity());
            } else if (response instanceof BatchWriteItemResponse batch) {
                writeRequests++;
                batch.consumedCapacity().forEach(c -> writeUnits += units(c));
            } else if (response instanceof QueryResponse query) {
                readRequests++;
                itemsRead += query.count();
                readUnits += units(query.consumedCapacity());
            } else if (response instanceof GetItemResponse get) {
                readRequests++; // the writer's check that a part is not whole already
                readUnits += units(get.consumedCapacity());
            }
        }

        private synchronized void noteSize(Map<String, AttributeValue> item) {
            largestItem = Math.max(largestItem, ItemSize.of(item));
        }

        private static double units(ConsumedCapacity c) {
            if (c == null || c.capacityUnits() == null) {
                throw new IllegalStateException("DynamoDB answered without the consumed capacity asked for");
            }
            return c.capacityUnits();
        }
    }
}
