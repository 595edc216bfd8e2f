package dev.kinesisaggs.esm.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kinesisaggs.localaws.junit.LocalAwsExtension;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One running instance per mapping, through its lease in the checkpoint table (dynalite): a second instance is refused
 * while the first runs, and starts at once after it stops or dies; a holder on another machine is watched for its
 * heartbeat; a lease taken over meanwhile is reported lost.
 */
@ExtendWith(LocalAwsExtension.class)
class MappingLeaseIT {

    private static final String TABLE = "esmLeasesIT";
    private static final Duration RENEW = Duration.ofMillis(100);
    private static final Duration EXPIRES = Duration.ofSeconds(1);
    private final Clock clock = Clock.systemUTC();
    private final List<String> lost = new CopyOnWriteArrayList<>();

    private static MappingIdentity newMapping() {
        return new MappingIdentity("m-" + UUID.randomUUID(), "arn:aws:kinesis:us-east-1:000000000000:stream/trips",
                "arn:aws:lambda:us-east-1:000000000000:function:f");
    }

    private DynamoDbMappingLease acquire(DynamoDbClient dynamoDb, MappingIdentity mapping) {
        return DynamoDbMappingLease.acquire(dynamoDb, TABLE, mapping, clock, RENEW, EXPIRES, lost::add);
    }

    private static DynamoDbCheckpointStore store(DynamoDbClient dynamoDb) {
        DynamoDbCheckpointStore store = new DynamoDbCheckpointStore(dynamoDb, TABLE, Clock.systemUTC());
        store.ensureTable();
        return store;
    }

    @Test
    void aSecondInstanceIsRefusedInOneSentenceWhileTheFirstRunsAndStartsAtOnceWhenItStops(DynamoDbClient dynamoDb) {
        DynamoDbCheckpointStore store = store(dynamoDb);
        MappingIdentity mapping = newMapping();
        MappingLease first = store.lease(mapping, lost::add);

        assertThatThrownBy(() -> store.lease(mapping, lost::add)).isInstanceOf(MappingInUseException.class)
                .hasMessage("The event source mapping " + mapping + " is already running, in pid " + ProcessHandle.current().pid()
                        + " on this machine: stop that one first (Ctrl-C where it runs, or kill " + ProcessHandle.current().pid()
                        + "), then start this one again; AWS runs a mapping once, and two would each deliver every record.");
        store.lease(newMapping(), lost::add).close(); // another mapping is not held up

        first.close();
        long began = System.nanoTime();
        store.lease(mapping, lost::add).close();
        assertThat(Duration.ofNanos(System.nanoTime() - began)).as("taken without waiting").isLessThan(Duration.ofSeconds(3));
        assertThat(lost).isEmpty();
    }

    @Test
    void aHolderWhoseProcessIsGoneIsTakenOverAtOnce(DynamoDbClient dynamoDb) throws Exception {
        store(dynamoDb);
        // killed once its start time is read ("true" could end before that, and a process that ended has no start time)
        Process ended = new ProcessBuilder("sleep", "60").start();
        long endedStart = ended.info().startInstant().orElseThrow().toEpochMilli();
        ended.destroyForcibly().waitFor();
        // a process of this machine that ended (kill -9), and one that is not this JVM's live instance (a lease it leaked)
        for (long[] pidAndStart : new long[][] {{ended.pid(), endedStart}, {ProcessHandle.current().pid(), 1}}) {
            MappingIdentity mapping = newMapping();
            putHolder(dynamoDb, mapping, "crashed", DynamoDbMappingLease.thisMachine(), pidAndStart[0], pidAndStart[1], 41);

            long began = System.nanoTime();
            try (DynamoDbMappingLease lease = acquire(dynamoDb, mapping)) {
                assertThat(Duration.ofNanos(System.nanoTime() - began)).as("taken without watching").isLessThan(EXPIRES);
                assertThat(item(dynamoDb, mapping).get("holder").s()).isNotEqualTo("crashed");
                assertThat(item(dynamoDb, mapping).get("heartbeat").n()).as("the counter seen, plus one").isEqualTo("42");
            }
        }
    }

    @Test
    void aHolderOnThisMachineWhoseProcessRunsIsRefusedAtOnceAndAZombieIsTakenOver(DynamoDbClient dynamoDb) throws Exception {
        store(dynamoDb);
        // a shell that leaves a child it never reaps: the child, once ended, is a zombie
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0.2 & exec sleep 60").start();
        try {
            ProcessHandle child = await().atMost(Duration.ofSeconds(5)).until(() -> parent.toHandle().children().findFirst(),
                    java.util.Optional::isPresent).orElseThrow();
            long childStart = child.info().startInstant().orElseThrow().toEpochMilli();
            long parentStart = parent.info().startInstant().orElseThrow().toEpochMilli();

            MappingIdentity running = newMapping();
            putHolder(dynamoDb, running, "running", DynamoDbMappingLease.thisMachine(), parent.pid(), parentStart, 3);
            long began = System.nanoTime();
            assertThatThrownBy(() -> acquire(dynamoDb, running)).isInstanceOf(MappingInUseException.class)
                    .hasMessageContaining("is already running, in pid " + parent.pid() + " on this machine: stop that one first"
                            + " (Ctrl-C where it runs, or kill " + parent.pid() + ")");
            assertThat(Duration.ofNanos(System.nanoTime() - began)).as("refused without watching").isLessThan(EXPIRES);

            await().atMost(Duration.ofSeconds(5)).until(() -> DynamoDbMappingLease.isZombie(child.pid()));
            MappingIdentity zombie = newMapping();
            putHolder(dynamoDb, zombie, "zombie", DynamoDbMappingLease.thisMachine(), child.pid(), childStart, 3);
            began = System.nanoTime();
            try (DynamoDbMappingLease lease = acquire(dynamoDb, zombie)) {
                assertThat(Duration.ofNanos(System.nanoTime() - began)).as("taken without watching").isLessThan(EXPIRES);
                assertThat(item(dynamoDb, zombie).get("holder").s()).isNotEqualTo("zombie");
            }
        } finally {
            parent.destroyForcibly();
        }
    }

    @Test
    void aHolderOnAnotherMachineIsTakenOverOnceItsHeartbeatStops(DynamoDbClient dynamoDb) {
        store(dynamoDb);
        MappingIdentity mapping = newMapping();
        putHolder(dynamoDb, mapping, "elsewhere", "other-host/boot", 7, 1, 7);

        long began = System.nanoTime();
        try (DynamoDbMappingLease lease = acquire(dynamoDb, mapping)) {
            assertThat(Duration.ofNanos(System.nanoTime() - began)).as("watched first").isGreaterThanOrEqualTo(EXPIRES);
            assertThat(item(dynamoDb, mapping).get("machine").s()).isEqualTo(DynamoDbMappingLease.thisMachine());
        }
        assertThat(item(dynamoDb, mapping)).as("given up when closed").isNull();
    }

    @Test
    void aHolderOnAnotherMachineThatRenewsIsRefused(DynamoDbClient dynamoDb) {
        store(dynamoDb);
        MappingIdentity mapping = newMapping();
        putHolder(dynamoDb, mapping, "elsewhere", "other-host/boot", 7, 1, 0);
        ScheduledExecutorService renewing = Executors.newSingleThreadScheduledExecutor();
        renewing.scheduleWithFixedDelay(() -> dynamoDb.updateItem(b -> b.tableName(TABLE).key(key(mapping))
                .updateExpression("ADD heartbeat :one").expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1")))),
                0, 200, TimeUnit.MILLISECONDS);
        try {
            assertThatThrownBy(() -> acquire(dynamoDb, mapping)).isInstanceOf(MappingInUseException.class)
                    .hasMessageStartingWith("The event source mapping " + mapping + " is already running, in pid 7 on other-host:"
                            + " stop that one first (Ctrl-C where it runs), then start this one again");
        } finally {
            renewing.shutdownNow();
        }
        assertThat(item(dynamoDb, mapping).get("holder").s()).isEqualTo("elsewhere");
    }

    @Test
    void aLeaseTakenOverMeanwhileIsReportedLostOnceAndOneForgottenIsHeldAgain(DynamoDbClient dynamoDb) {
        store(dynamoDb);
        MappingIdentity forgotten = newMapping();
        try (DynamoDbMappingLease lease = acquire(dynamoDb, forgotten)) {
            String holder = item(dynamoDb, forgotten).get("holder").s();
            // an emulator restarted without its data
            dynamoDb.deleteItem(b -> b.tableName(TABLE).key(key(forgotten)));
            await().atMost(Duration.ofSeconds(5)).until(() -> item(dynamoDb, forgotten) != null);
            assertThat(item(dynamoDb, forgotten).get("holder").s()).isEqualTo(holder);
        }
        assertThat(lost).isEmpty();

        MappingIdentity mapping = newMapping();
        try (DynamoDbMappingLease lease = acquire(dynamoDb, mapping)) {
            putHolder(dynamoDb, mapping, "newcomer", "other-host/boot", 9, 1, 0);
            assertThat(lease.held()).isTrue();
            await().atMost(Duration.ofSeconds(5)).until(() -> !lost.isEmpty());
            assertThat(lost).singleElement().asString().startsWith("The event source mapping " + mapping
                    + " is no longer held by this instance but by pid 9 on other-host: this one stops");
            assertThat(lease.held()).as("no checkpoint is saved any more").isFalse();
            sleep(RENEW.multipliedBy(5));
            assertThat(lost).as("said once").hasSize(1);
        }
        assertThat(item(dynamoDb, mapping).get("holder").s()).as("not given up for the newcomer").isEqualTo("newcomer");
    }

    private static void putHolder(DynamoDbClient dynamoDb, MappingIdentity mapping, String holder, String machine, long pid,
                                  long pidStarted, long heartbeat) {
        Map<String, AttributeValue> item = new HashMap<>(key(mapping));
        item.put("holder", AttributeValue.fromS(holder));
        item.put("machine", AttributeValue.fromS(machine));
        item.put("pid", AttributeValue.fromN(Long.toString(pid)));
        item.put("pidStarted", AttributeValue.fromN(Long.toString(pidStarted)));
        item.put("heartbeat", AttributeValue.fromN(Long.toString(heartbeat)));
        dynamoDb.putItem(b -> b.tableName(TABLE).item(item));
    }

    private static Map<String, AttributeValue> item(DynamoDbClient dynamoDb, MappingIdentity mapping) {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(TABLE).consistentRead(true).key(key(mapping))).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private static Map<String, AttributeValue> key(MappingIdentity mapping) {
        return Map.of("mappingId", AttributeValue.fromS(mapping.uuid()), "shardId", AttributeValue.fromS(DynamoDbMappingLease.SORT_KEY));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
