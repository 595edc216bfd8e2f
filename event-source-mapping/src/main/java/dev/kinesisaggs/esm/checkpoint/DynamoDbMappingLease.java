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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * <p>Whether a holder is still there is decided without comparing clocks, which machines do not share. On this machine,
 * by its process: one that is gone (a {@code kill -9}, a crash: its pid unused, a zombie, or a pid now another process's)
 * frees the lease at once, one that runs refuses this instance at once. A holder on another machine is watched: a
 * heartbeat that moves is a running instance, and this one is refused; one that does not move for
 * {@link #EXPIRES_AFTER} is a holder that is gone, and the lease is taken. Either way it is taken with a write conditioned on
 * the holder and counter seen, so that of two instances starting together only one gets it.
 *
 * <p>The holder stops saving checkpoints once it cannot be sure it still holds the lease ({@link #held()}: no renewal
 * for {@code EXPIRES_AFTER} less one renewal), which is before anyone else may take it.
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
    /** Start times read by two JVMs may differ a little (the boot time they derive them from is read separately). */
    private static final long START_TOLERANCE_MILLIS = 2_000;
    /** The leases this JVM holds: a holder with this JVM's pid and an instance not among them is gone. */
    private static final Set<String> HELD_HERE = ConcurrentHashMap.newKeySet();

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

        /**
         * On this machine, whether its process is gone: ended (a {@code kill -9}, a crash), a zombie its parent never
         * reaped, or its pid now another process's; in this JVM, an instance that no longer holds it (a lease leaked).
         */
        boolean processGone() {
            if (pid == ProcessHandle.current().pid()) {
                return !HELD_HERE.contains(instance);
            }
            return ProcessHandle.of(pid).filter(p -> p.isAlive() && !isZombie(pid)
                    && Math.abs(startMillis(p) - pidStarted) <= START_TOLERANCE_MILLIS).isEmpty();
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
    private final Consumer<String> lost;
    private final Holder me = Holder.thisInstance();
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "esm-lease");
        t.setDaemon(true);
        return t;
    });
    private volatile long lastRenewedNanos;
    private volatile boolean closing;
    private volatile boolean lostIt;
    private boolean warned;

    private DynamoDbMappingLease(DynamoDbClient dynamoDb, String table, MappingIdentity mapping, Clock clock,
                                 Duration renewEvery, Duration expiresAfter, Consumer<String> lost) {
        this.dynamoDb = dynamoDb;
        this.table = table;
        this.mapping = mapping;
        this.clock = clock;
        this.renewEvery = renewEvery;
        this.expiresAfter = expiresAfter;
        this.lost = lost;
    }

    /**
     * Takes the mapping's lease, watching a holder that may still run for at most {@code expiresAfter}, and renews it
     * until closed; {@code lost} is told (once, in one sentence) if another instance took it meanwhile.
     *
     * @throws MappingInUseException while another running instance holds it
     */
    static DynamoDbMappingLease acquire(DynamoDbClient dynamoDb, String table, MappingIdentity mapping, Clock clock,
                                        Duration renewEvery, Duration expiresAfter, Consumer<String> lost) {
        DynamoDbMappingLease lease = new DynamoDbMappingLease(dynamoDb, table, mapping, clock, renewEvery, expiresAfter, lost);
        HELD_HERE.add(lease.me.instance()); // before the first write: this JVM never takes its own live lease for gone
        try {
            lease.take();
        } catch (RuntimeException e) {
            HELD_HERE.remove(lease.me.instance());
            lease.renewals.shutdownNow();
            throw e;
        }
        lease.lastRenewedNanos = System.nanoTime();
        long every = renewEvery.toMillis();
        lease.renewals.scheduleWithFixedDelay(lease::renew, every, every, TimeUnit.MILLISECONDS);
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
            if (holder.instance().equals(me.instance())) {
                return; // our own write, answered as failed after an attempt the SDK retried
            }
            boolean gone;
            if (holder.onThisMachine()) {
                if (!holder.processGone()) {
                    throw inUse(holder); // its process runs (a suspended one too: it would go on when resumed)
                }
                gone = true;
            } else if (watched == null) {
                watched = holder;
                watchedBeat = beat;
                watchUntil = System.nanoTime() + expiresAfter.toNanos();
                Holder seen = holder;
                LOG.atWarn().log(() -> "The event source mapping " + mapping + " is held by " + seen.describe()
                        + "; waiting up to " + expiresAfter.toSeconds() + " s to see whether that instance still runs");
                gone = false;
            } else if (!holder.equals(watched) || beat != watchedBeat) {
                throw inUse(holder);
            } else {
                gone = System.nanoTime() - watchUntil >= 0;
            }
            if (gone) {
                Holder taken = holder;
                if (put(beat + 1, "#h = :h AND #b = :b", Map.of(":h", AttributeValue.fromS(holder.instance()),
                        ":b", AttributeValue.fromN(Long.toString(beat))))) {
                    // routine after a crash or kill -9, not a fault: said at INFO (found by a probe, who read the warning as one)
                    LOG.atInfo().log(() -> "Took the event source mapping " + mapping + " over from " + taken.describe()
                            + ", which no longer runs");
                    return;
                }
                watched = null; // someone else was quicker: look again
                continue;
            }
            sleep(Duration.ofMillis(Math.max(10, renewEvery.toMillis() / 3)));
        }
    }

    private MappingInUseException inUse(Holder holder) {
        String stop = holder.onThisMachine() ? "Ctrl-C where it runs, or kill " + holder.pid() : "Ctrl-C where it runs";
        return new MappingInUseException("The event source mapping " + mapping + " is already running, in " + holder.describe()
                + ": stop that one first (" + stop + "), then start this one again; AWS runs a mapping once, and two"
                + " would each deliver every record.");
    }

    /** Whether this instance may still act as the holder: not lost, and renewed recently enough that no one took it. */
    @Override
    public boolean held() {
        return !lostIt && System.nanoTime() - lastRenewedNanos < expiresAfter.minus(renewEvery).toNanos();
    }

    private void renew() {
        if (closing || lostIt) {
            return;
        }
        try {
            try {
                dynamoDb.updateItem(b -> b.tableName(table).key(key())
                        .updateExpression("ADD #b :one SET renewedAt = :now")
                        .conditionExpression("#h = :me")
                        .expressionAttributeNames(Map.of("#b", HEARTBEAT, "#h", HOLDER))
                        .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                                ":now", AttributeValue.fromS(clock.instant().toString()), ":me", AttributeValue.fromS(me.instance()))));
                renewed();
            } catch (ConditionalCheckFailedException e) {
                notHeldAnyMore();
            }
        } catch (RuntimeException e) {
            // the endpoint away for a moment: the next renewal tries again; said once if it lasts
            long since = System.nanoTime() - lastRenewedNanos;
            if (!warned && since > expiresAfter.toNanos() / 2) {
                warned = true;
                LOG.atWarn().log(() -> "The lease of the event source mapping " + mapping + " could not be renewed for "
                        + Duration.ofNanos(since).toSeconds() + " s (" + e.getMessage() + "); checkpoints are not saved"
                        + " until it is, as another instance may take the mapping over after " + expiresAfter.toSeconds() + " s");
            }
        }
    }

    private void renewed() {
        lastRenewedNanos = System.nanoTime();
        warned = false;
    }

    private void notHeldAnyMore() {
        Map<String, AttributeValue> item = get();
        if (item != null && Holder.of(item).instance().equals(me.instance())) {
            renewed(); // our own update, answered as failed after an attempt the SDK retried
            return;
        }
        boolean recent = System.nanoTime() - lastRenewedNanos < expiresAfter.toNanos();
        // an emulator restarted without its data forgot the lease; unless it was too long ago for no one to have taken it
        if (item == null && recent && put(0, "attribute_not_exists(mappingId)", Map.of())) {
            renewed();
            return;
        }
        if (closing) {
            return;
        }
        lostIt = true;
        renewals.shutdown();
        String by = item == null ? "no one (its lease was removed)" : Holder.of(item).describe();
        lost.accept("The event source mapping " + mapping + " is no longer held by this instance but by " + by
                + ": this one stops, so that the mapping runs once. If that was not meant, stop the other one and start"
                + " this one again.");
    }

    @Override
    public void close() {
        closing = true;
        renewals.shutdownNow();
        boolean interrupted = Thread.interrupted(); // an interrupted thread's SDK call would give up before its delete
        try {
            renewals.awaitTermination(5, TimeUnit.SECONDS); // a renewal in flight may not land after the delete
            dynamoDb.deleteItem(b -> b.tableName(table).key(key()).conditionExpression("#h = :me")
                    .expressionAttributeNames(Map.of("#h", HOLDER))
                    .expressionAttributeValues(Map.of(":me", AttributeValue.fromS(me.instance()))));
        } catch (SdkException e) {
            // taken over meanwhile, or the endpoint is gone: either way the lease is not this instance's to free
        } catch (InterruptedException e) {
            interrupted = true;
        } finally {
            HELD_HERE.remove(me.instance());
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
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
            Map<String, AttributeValue> now = get(); // our own write, answered as failed after an attempt the SDK retried?
            return now != null && Holder.of(now).instance().equals(me.instance());
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
     * process of this one) and the pid namespace (containers on one host share the boot id, and may share the host name,
     * but not their pids).
     */
    static String thisMachine() {
        return Machine.NAME;
    }

    private static final class Machine {
        static final String NAME = hostName() + bootId() + pidNamespace();

        private static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                return "unknown-host";
            }
        }

        private static String pidNamespace() {
            try {
                return "/" + Files.readSymbolicLink(Path.of("/proc/self/ns/pid"));
            } catch (IOException | RuntimeException e) {
                return "";
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

    /** Whether the process is a zombie (Linux: state Z in /proc); false where that cannot be read. */
    static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            int afterName = stat.lastIndexOf(')'); // the name may hold spaces and parentheses
            return afterName > 0 && stat.length() > afterName + 2 && stat.charAt(afterName + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
    }
}
