package dev.kinesisaggs.app.chaos;

import dev.kinesisaggs.localaws.faults.DynamoDbFaultProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * The faults of a chaos run, drawn from its seed, on top of real calls to the emulators:
 * <ul>
 *   <li>DynamoDB throttling of a share of the function's calls (0 to 50 %), the whole run long;</li>
 *   <li>partial {@code UnprocessedItems}: quarantine items held back from BatchWriteItem, the whole run long;</li>
 *   <li>episodes of calls that hang until the client's timeout, and of outages (every call throttled), during which
 *       invocations fail, final invokes among them, and are retried;</li>
 *   <li>an execution environment killed in the middle of its work ({@link #killAnExecutionEnvironment}).</li>
 * </ul>
 * A thread switches the episodes on and off until {@link #stop}, which heals everything.
 */
final class ChaosFaults {

    private static final List<String> OPERATIONS = List.of("PutItem", "BatchExecuteStatement", "BatchWriteItem", "BatchGetItem", "GetItem", "Query");

    private final Random random;
    private final DynamoDbFaultProxy proxy;
    private final double throttledShare;
    private final List<String> done = new ArrayList<>();
    private volatile boolean stopped;
    /** Held for the length of an episode: one at a time. */
    private final Object episode = new Object();
    private Thread thread;
    private int hangs;
    private int outages;
    private int killed;

    ChaosFaults(Random seeded, DynamoDbFaultProxy proxy) {
        this.random = new Random(seeded.nextLong());
        this.proxy = proxy;
        this.throttledShare = random.nextInt(51) / 100.0;
    }

    void start() {
        steady();
        thread = new Thread(this::episodes, "chaos-faults");
        thread.setDaemon(true);
        thread.start();
    }

    /** The faults that last the whole run. */
    private void steady() {
        Random calls = new Random(random.nextLong());
        for (String operation : OPERATIONS) {
            proxy.throttle(operation, n -> {
                synchronized (calls) {
                    return calls.nextDouble() < throttledShare;
                }
            });
        }
        int modulus = 3 + random.nextInt(5);
        proxy.withhold(key -> Math.floorMod(key.hashCode(), modulus) == 0);
    }

    private void episodes() {
        Random r = new Random(random.nextLong());
        while (!stopped) {
            sleep(1000 + r.nextInt(3000));
            synchronized (episode) {
                if (stopped) {
                    return;
                }
                episode(r);
            }
        }
    }

    private void episode(Random r) {
        if (r.nextBoolean()) {
            proxy.delay(OPERATIONS.get(r.nextInt(OPERATIONS.size())), Duration.ofMillis(3000 + r.nextInt(4000)));
            hangs++;
        } else {
            OPERATIONS.forEach(op -> proxy.throttle(op, n -> true));
            outages++;
        }
        sleep(1000 + r.nextInt(3000));
        proxy.heal();
        if (!stopped) {
            steady();
        }
    }

    /**
     * Every DynamoDB call fails for {@code length}, once the current episode is over: long enough that invocations
     * run out of their time and of their retries, so that the mapping gives batches up.
     */
    void longOutage(Duration length) {
        synchronized (episode) {
            OPERATIONS.forEach(op -> proxy.throttle(op, n -> true));
            outages++;
            done.add("an outage of " + length.toSeconds() + " s");
            sleep(length.toMillis());
            proxy.heal();
            if (!stopped) {
                steady();
            }
        }
    }

    /** Kills one of the function's execution environments (a child JVM of the runtime client), if one runs. */
    void killAnExecutionEnvironment() {
        Optional<ProcessHandle> environment = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("com.amazonaws.services.lambda.runtime.api.client.AWSLambda"))
                        .orElse(false))
                .findAny();
        environment.ifPresent(p -> {
            p.destroyForcibly();
            killed++;
        });
    }

    /** Stops the episodes and heals every fault. */
    void stop() {
        stopped = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        proxy.heal();
    }

    /** What the faults did, for the report. */
    List<String> done() {
        List<String> d = new ArrayList<>(done);
        d.add(Math.round(throttledShare * 100) + " % of DynamoDB calls throttled (" + proxy.throttledCalls() + " calls)");
        d.add(proxy.withheldItems() + " items left unprocessed");
        d.add(hangs + " episodes of hanging calls, " + outages + " outages");
        d.add(killed + " execution environment" + (killed == 1 ? "" : "s") + " killed");
        return d;
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            // stopping
        }
    }
}
