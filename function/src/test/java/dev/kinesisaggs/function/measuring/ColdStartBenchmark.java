package dev.kinesisaggs.function.measuring;

import dev.kinesisaggs.esm.invocation.InvocationResult;
import dev.kinesisaggs.esm.runtime.ExecutionEnvironments;
import dev.kinesisaggs.esm.runtime.InvocationReport;
import dev.kinesisaggs.esm.runtime.LambdaJvmFlags;
import dev.kinesisaggs.esm.runtime.PackagedFunction;
import dev.kinesisaggs.function.sizing.SizingEvents;
import dev.kinesisaggs.function.tables.TableNames;
import dev.kinesisaggs.function.tables.Tables;
import dev.kinesisaggs.localaws.LocalAws;
import dev.kinesisaggs.localaws.LocalAwsClients;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Cold and warm starts of the packaged artifact as Lambda runs it: a fresh execution environment (a JVM
 * started with the java21 runtime's flags for the memory size, AWS's runtime interface client, the
 * artifact unpacked as {@code /var/task}) to the first invocation answered, which covers JVM start, the
 * runtime client, class loading, the handler's construction, the runtime's deserialisation of the event
 * and the handling (writing 1,000 trips to dynalite); then the same event again in the same
 * environment (warm). With {@code --cpu-cgroup DIR} each environment gets Lambda's CPU share for its
 * memory size (one vCPU at 1,769 MB) through a cgroup v1 quota. With {@code --dynamodb-endpoint URL} the
 * function writes to that endpoint instead of a dynalite of its own: the benchmarks module's
 * {@code InstantDynamoDb}, which answers every call at once, leaves the function's own cold start without
 * the emulator's pace (dynalite writes the 1,000 trips' inserts one at a time). A command that prints
 * its figures, not a test.
 *
 * <p>From the repository root, after {@code ./mvnw -q -B -pl function -am install -DskipTests -DskipITs}:
 * <pre>
 * ./mvnw -q -pl function exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath dev.kinesisaggs.function.measuring.ColdStartBenchmark \
 *   [--cpu-cgroup /sys/fs/cgroup/cpu/kinesis-aggs] [--runs 5] [--event plain-1000|kpl-6MB] [--snap-start] [--jar FILE] [--dynamodb-endpoint URL] [--java-tool-options OPTS] [MB ...]"
 * </pre>
 * An endpoint that answers at once, in another shell: {@code java -cp benchmarks/target/benchmarks.jar
 * dev.kinesisaggs.benchmarks.InstantDynamoDb} (it prints its URL).
 */
public final class ColdStartBenchmark {

    private static final String HANDLER = "dev.kinesisaggs.function.TripWindowStreamHandler::handleRequest";
    private static final String SHARD = "shardId-000000000007";

    private record Run(int memoryMb, long coldMs, double initMs, double firstInvokeMs, double warmMs, int maxMemoryMb) {
    }

    public static void main(String[] args) throws Exception {
        Path cgroup = null;
        int runs = 5;
        String eventName = "plain-1000";
        boolean snapStart = false;
        Path jar = null;
        URI dynamoDbEndpoint = null;
        String javaToolOptions = null;
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--cpu-cgroup" -> cgroup = Path.of(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--event" -> eventName = args[++i];
                case "--snap-start" -> snapStart = true;
                case "--jar" -> jar = Path.of(args[++i]).toAbsolutePath();
                case "--dynamodb-endpoint" -> dynamoDbEndpoint = URI.create(args[++i]);
                case "--java-tool-options" -> javaToolOptions = args[++i];
                default -> sizes.add(Integer.parseInt(args[i]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(512, 1024, LambdaJvmFlags.ONE_VCPU_MB);
        }
        if (jar == null) {
            jar = Path.of("target", "kinesis-aggs-function-lambda.jar").toAbsolutePath();
        }
        if (!Files.exists(jar)) {
            jar = Path.of("function", "target", "kinesis-aggs-function-lambda.jar").toAbsolutePath();
        }
        if (!Files.exists(jar)) {
            System.err.println("No packaged function: run ./mvnw -pl function -am install -DskipTests -DskipITs first.");
            System.exit(2);
        }
        String event = switch (eventName) {
            case "plain-1000" -> SizingEvents.plain(SHARD, 1000);
            case "kpl-6MB" -> SizingEvents.largestAggregated(SHARD);
            default -> throw new IllegalArgumentException("--event is plain-1000 or kpl-6MB, not " + eventName);
        };
        System.out.printf(Locale.ROOT, "event %s: %.2f MB of JSON; %s; CPU share: %s; DynamoDB: %s; Java %s on %d cores%n", eventName,
                event.length() / 1048576.0, snapStart ? "SnapStart priming in init" : "on-demand init",
                cgroup == null ? "not limited (the machine's)" : "cgroup quota, memory/1769 of a CPU",
                dynamoDbEndpoint == null ? "dynalite" : dynamoDbEndpoint, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

        Map<Integer, List<Run>> results = new LinkedHashMap<>();
        int table = 0;
        for (int memoryMb : sizes) {
            // a fresh emulator per size (none with --dynamodb-endpoint): dynalite slows down as it fills, which would
            // count against the later sizes
            try (LocalAws aws = dynamoDbEndpoint == null ? LocalAws.start() : null) {
                for (int run = 1; run <= runs; run++) {
                    TableNames tables = new TableNames("bench-aggs-" + ++table, "bench-trips-" + table, "bench-rejects-" + table);
                    if (aws != null) {
                        Tables.createIfMissing(aws.dynamoDb(), tables);
                    }
                    Run r = measure(aws == null ? dynamoDbEndpoint : aws.dynamoDbEndpoint(), jar, tables, memoryMb, cgroup, snapStart, event,
                            javaToolOptions);
                    results.computeIfAbsent(memoryMb, m -> new ArrayList<>()).add(r);
                    System.out.printf(Locale.ROOT, "memoryMb=%d vcpu=%.3f run=%d coldMs=%d initMs=%.0f firstInvokeMs=%.0f warmMs=%.0f"
                                    + " maxMemoryUsedMb=%d%n", memoryMb, new LambdaJvmFlags(memoryMb).vcpus(), run, r.coldMs(), r.initMs(),
                            r.firstInvokeMs(), r.warmMs(), r.maxMemoryMb());
                }
            }
        }
        System.out.println();
        System.out.println("memory MB | CPU share | cold start to first answer, ms (median, min-max) | of which init ms (median)"
                + " | warm invocation ms (median, min-max) | max memory used MB");
        for (Map.Entry<Integer, List<Run>> e : results.entrySet()) {
            List<Run> rs = e.getValue();
            System.out.printf(Locale.ROOT, "%d | %.3f | %.0f (%d-%d) | %.0f | %.0f (%.0f-%.0f) | %d%n", e.getKey(),
                    new LambdaJvmFlags(e.getKey()).vcpus(),
                    median(rs.stream().mapToDouble(Run::coldMs).toArray()),
                    rs.stream().mapToLong(Run::coldMs).min().orElse(0), rs.stream().mapToLong(Run::coldMs).max().orElse(0),
                    median(rs.stream().mapToDouble(Run::initMs).toArray()),
                    median(rs.stream().mapToDouble(Run::warmMs).toArray()),
                    rs.stream().mapToDouble(Run::warmMs).min().orElse(0), rs.stream().mapToDouble(Run::warmMs).max().orElse(0),
                    rs.stream().mapToInt(Run::maxMemoryMb).max().orElse(0));
        }
    }

    private static Run measure(URI dynamoDbEndpoint, Path jar, TableNames tables, int memoryMb, Path cgroup, boolean snapStart, String event,
            String javaToolOptions) {
        List<InvocationReport> reports = new CopyOnWriteArrayList<>();
        PackagedFunction.Builder function = PackagedFunction.builder()
                .artifact(jar)
                .handler(HANDLER)
                .functionName("kinesis-aggs-benchmark")
                .memorySizeMb(memoryMb)
                .snapStart(snapStart)
                .environment(tables.toEnvironment())
                .environmentVariable("AWS_ENDPOINT_URL_DYNAMODB", dynamoDbEndpoint.toString())
                .credentials(LocalAwsClients.credentials())
                .log(line -> { })
                .reports(reports::add);
        if (cgroup != null) {
            function.cpuCgroup(cgroup);
        }
        if (javaToolOptions != null) {
            function.environmentVariable("JAVA_TOOL_OPTIONS", javaToolOptions); // as a function's configuration sets it
        }
        try (ExecutionEnvironments environments = new ExecutionEnvironments(function.build(),
                "arn:aws:lambda:us-east-1:123456789012:function:kinesis-aggs-benchmark", LocalAwsClients.REGION.id(),
                Duration.ofSeconds(60), () -> UUID.randomUUID().toString(), Clock.systemUTC())) {
            long t0 = System.nanoTime();
            InvocationResult cold = environments.invoke(SHARD, event);
            long coldMs = (System.nanoTime() - t0) / 1_000_000;
            InvocationResult warm = environments.invoke(SHARD, event);
            for (InvocationResult r : List.of(cold, warm)) {
                if (!(r instanceof InvocationResult.Returned returned) || !returned.responseJson().contains("\"batchItemFailures\":[]")) {
                    throw new IllegalStateException("the invocation did not do its work: " + r);
                }
            }
            InvocationReport first = reports.get(0);
            InvocationReport second = reports.get(1);
            return new Run(memoryMb, coldMs, millis(first.initDuration().orElseThrow()), millis(first.duration()),
                    millis(second.duration()), second.maxMemoryUsedMb().orElse(0));
        }
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
