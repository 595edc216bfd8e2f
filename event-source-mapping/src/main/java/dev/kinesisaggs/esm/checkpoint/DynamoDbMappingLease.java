package dev.kinesisaggs.esm.checkpoint;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A mapping's lease as an item of its checkpoint table: key ({@code mappingId} = the mapping's UUID, {@code shardId} =
 * {@value #SORT_KEY}, which no shard id is), the holder (an id of the running instance, its machine, its pid and when
 * that process started) and a {@code heartbeat} counter that the holder adds 1 to every {@link #RENEW_EVERY}.
 *
 * <p>Whether a holder is still there is decided without comparing clocks, which machines do not share. On the holder's
 * own machine, by its process: a pid that is gone, or held by a process that started at another time, frees the lease at
 * once (a {@code kill -9}, a crash). From another machine, by watching the heartbeat for {@link #EXPIRES_AFTER}: a
 * counter that did not move is a holder that is gone. Either way the lease is taken with a write conditioned on the
 * holder and counter seen, so that of two instances starting together only one gets it.
 */
final class DynamoDbMappingLease implements MappingLease {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoDbMappingLease.class);

    static final String SORT_KEY = "lease";
    static final Duration RENEW_EVERY = Duration.ofSeconds(3);
    static final Duration EXPIRES_AFTER = Duration.ofSeconds(15);

    private static final String HOLDER = "holder";
    private static final String MACHINE = "machine";
    private static final String PID = "pid";
    private static final String PID_STARTED = "pidStarted";
    private static final String HEARTBEAT = "heartbeat";

    /** Who holds a lease: a running instance of the mapping, in a process on a machine. */
    record Holder(String instance, String machine, long pid, long pidStarted) {

        static Holder thisInstance() {
            ProcessHandle self = ProcessHandle.current();
            return new Holder(UUID.randomUUID().toString(), thisMachine(), self.pid(), startMillis(self));
        }

        static Holder of(Map<String, AttributeValue> item) {
            return new Holder(item.get(HOLDER).s(), item.get(MACHINE).s(), Long.parseLong(item.get(PID).n()),
                    Long.parseLong(item.get(PID_STARTED).n()));
        }

        boolean onThisMachine() {
            return machine.equals(thisMachine());
        }

        /** On this machine, whether its process still runs (a pid now held by a process started later is not it). */
        boolean processRuns() {
            return ProcessHandle.of(pid).filter(p -> p.isAlive() && startMillis(p) == pidStarted).isPresent();
        }

        String describe() {
            return "pid " + pid + (onThisMachine() ? " on this machine" : " on " + machine.replaceFirst("/.*", ""));
        }
    }

    private final DynamoDbClient dynamoDb;
    private final String table;
    private final MappingIdentity mapping;
    private final Clock clock;
    private final Duration renewEvery;
    private final Duration expiresAfter;
    private final Holder me = Holder.thisInstance();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "esm-lease");
        t.setDaemon(true);
        return t;
    });

    private DynamoDbMappingLease(DynamoDbClient dynamoDb, String table, MappingIdentity mapping, Clock clock,
                                 Duration renewEvery, Duration expiresAfter) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.mapping = mapping;
        this.clock = clock;
        this.renewEvery = renewEvery;
        this.expiresAfter = expiresAfter;
    }

    /**
     * Takes the mapping's lease, waiting up to {@code expiresAfter} when a holder on another machine has to be watched,
     * and renews it until closed; {@code lost} is told (once, in one sentence) if another instance took it meanwhile.
     *
     * @throws MappingInUseException while another running instance holds it
     */
    static DynamoDbMappingLease acquire(DynamoDbClient dynamoDb, String table, MappingIdentity mapping, Clock clock,
                                        Duration renewEvery, Duration expiresAfter, Consumer<String> lost) {
        DynamoDbMappingLease lease = new DynamoDbMappingLease(dynamoDb, table, mapping, clock, renewEvery, expiresAfter);
        lease.take();
        long every = renewEvery.toMillis();
        lease.renewals.scheduleWithFixedDelay(() -> lease.renew(lost), every, every, TimeUnit.MILLISECONDS);
        return lease;
    }

    private void take() {
        Holder watched = null;
        long watchedBeat = 0;
        long watchUntil = 0;
        while (true) {
            Map<String, AttributeValue> item = get();
            if (item == null) {
                if (put(0, "attribute_not_exists(mappingId)", Map.of())) {
                    return;
                }
                continue; // another instance took it meanwhile: look at it
            }
            Holder holder = Holder.of(item);
            long beat = Long.parseLong(item.get(HEARTBEAT).n());
            boolean gone;
            if (holder.onThisMachine()) {
                if (holder.processRuns()) {
                    throw inUse(holder, "");
                }
                gone = true;
            } else if (watched == null) {
                watched = holder;
                watchedBeat = beat;
                watchUntil = System.nanoTime() + expiresAfter.toNanos();
                Holder seen = holder;
                LOG.atInfo().log(() -> "The lease of mapping " + mapping + " is held by " + seen.describe()
                        + "; watching for " + expiresAfter.toSeconds() + " s whether it is still renewed");
                gone = false;
            } else if (!holder.equals(watched) || beat != watchedBeat) {
                throw inUse(holder, ", which renewed its lease within the last " + expiresAfter.toSeconds() + " s");
            } else {
                gone = System.nanoTime() - watchUntil >= 0;
            }
            if (gone) {
                Holder taken = holder;
                if (put(beat + 1, "#h = :h AND #b = :b", Map.of(":h", AttributeValue.fromS(holder.instance()),
                        ":b", AttributeValue.fromN(Long.toString(beat))))) {
                    LOG.atInfo().log(() -> "Took over the lease of mapping " + mapping + " from " + taken.describe()
                            + ", which is gone");
                    return;
                }
                watched = null; // someone else was quicker: look again
                continue;
            }
            sleep(renewEvery);
        }
    }

    private MappingInUseException inUse(Holder holder, String how) {
        return new MappingInUseException("The event source mapping " + mapping + " is already running, in " + holder.describe()
                + how + ": stop that one first, or run this one under another mapping id (AWS runs a mapping once; two"
                + " would each deliver every record).");
    }

    private void renew(Consumer<String> lost) {
        try {
            dynamoDb.updateItem(b -> b.tableName(table).key(key())
                    .updateExpression("ADD #b :one SET renewedAt = :now")
                    .conditionExpression("#h = :me")
                    .expressionAttributeNames(Map.of("#b", HEARTBEAT, "#h", HOLDER))
                    .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                            ":now", AttributeValue.fromS(clock.instant().toString()), ":me", AttributeValue.fromS(me.instance()))));
        } catch (ConditionalCheckFailedException e) {
            Map<String, AttributeValue> item = get();
            // an emulator restarted without its data has forgotten the lease: it is still ours to hold
            if (item == null && put(0, "attribute_not_exists(mappingId)", Map.of())) {
                return;
            }
            item = item == null ? get() : item;
            String by = item == null ? "another instance" : Holder.of(item).describe();
            renewals.shutdown();
            lost.accept("The event source mapping " + mapping + " lost its lease to " + by + " (it was not renewed for "
                    + expiresAfter.toSeconds() + " s: was this process suspended?); this one stops, so that the mapping runs once.");
        } catch (SdkException e) {
            // the endpoint away for a moment: the next renewal tries again, long before another instance may take over
            LOG.atDebug().log(() -> "Renewing the lease of mapping " + mapping + " failed: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        renewals.shutdownNow();
        try {
            dynamoDb.deleteItem(b -> b.tableName(table).key(key()).conditionExpression("#h = :me")
                    .expressionAttributeNames(Map.of("#h", HOLDER))
                    .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(me.instance()))));
        } catch (SdkException e) {
            // taken over meanwhile, or the endpoint is gone: either way the lease is not this instance's to free
        }
    }

    private boolean put(long beat, String condition, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> item = new HashMap<>(key());
        item.put(HOLDER, AttributeValue.fromS(me.instance()));
        item.put(MACHINE, AttributeValue.fromS(me.machine()));
        item.put(PID, AttributeValue.fromN(Long.toString(me.pid())));
        item.put(PID_STARTED, AttributeValue.fromN(Long.toString(me.pidStarted())));
        item.put(HEARTBEAT, AttributeValue.fromN(Long.toString(beat)));
        item.put("mappingName", AttributeValue.fromS(mapping.name()));
        item.put("renewedAt", AttributeValue.fromS(clock.instant().toString()));
        try {
            dynamoDb.putItem(b -> {
                b.tableName(table).item(item).conditionExpression(condition);
                if (!values.isEmpty()) {
                    b.expressionAttributeNames(Map.of("#h", HOLDER, "#b", HEARTBEAT)).expressionAttributeValues(values);
                }
            });
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private Map<String, AttributeValue> get() {
        Map<String, AttributeValue> item = dynamoDb.getItem(b -> b.tableName(table).consistentRead(true).key(key())).item();
        return item == null || item.isEmpty() ? null : item;
    }

    private Map<String, AttributeValue> key() {
        return Map.of("mappingId", AttributeValue.fromS(mapping.uuid()), "shardId", AttributeValue.fromS(SORT_KEY));
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the lease of a mapping", e);
        }
    }

    /**
     * This machine, as pids are told apart: its host name and, on Linux, the boot's id (a pid of another boot is not a
     * process of this one). Containers on one host share the boot id but not their pids, and have host names of their own.
     */
    static String thisMachine() {
        return Machine.NAME;
    }

    private static final class Machine {
        static final String NAME = hostName() + bootId();

        private static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "unknown-host";
            }
        }

        private static String bootId() {
            try {
                return "/" + Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).strip();
            } catch (IOException | RuntimeException e) {
                return "";
            }
        }
    }

    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }
}
