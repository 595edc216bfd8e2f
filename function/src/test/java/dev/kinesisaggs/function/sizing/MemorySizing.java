package dev.kinesisaggs.function.sizing;

import dev.kinesisaggs.esm.runtime.LambdaJvmFlags;
import dev.kinesisaggs.function.measuring.PackagedFunctionJvm;
import dev.kinesisaggs.function.storage.TableNames;
import dev.kinesisaggs.function.storage.Tables;
import dev.kinesisaggs.localaws.LocalAws;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Measures the function at several memory sizes, to choose the template's default: for each size
 * and each of the two largest events (the most KPL aggregates a 6 MB payload holds, and 1,000
 * plain records), a fresh JVM on the packaged artifact, sized as Lambda sizes it
 * ({@link LambdaJvmFlags}), runs one cold invocation against dynalite with the trips and quarantine
 * tables on ({@link SizedInvokeMain}), and one line of figures is printed.
 *
 * <p>With {@code --priming}, each run is made twice, the second time with the SnapStart priming
 * hook run after construction (the closest local analog of a first invocation after a restore).
 *
 * <p>With {@code --cpu-cgroup DIR} (a cgroup v1 {@code cpu} directory this user may create and
 * write, e.g. under {@code /sys/fs/cgroup/cpu}), each JVM also gets Lambda's CPU share for its size
 * (one vCPU at 1,769 MB, in proportion) through {@code cpu.cfs_quota_us}; without it, the JVM gets
 * whatever the machine has, and only the CPU seconds tell what a smaller share would cost.
 *
 * <p>Run from the repository root after {@code ./mvnw -pl function -am install -DskipTests}:
 * <pre>
 * ./mvnw -q -pl function exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
 *   -Dexec.args="-cp %classpath dev.kinesisaggs.function.sizing.MemorySizing [--cpu-cgroup DIR] [--priming] [MB ...]"
 * </pre>
 */
public final class MemorySizing {

    public static void main(String[] args) throws Exception {
        Path cgroup = null;
        List<Boolean> primings = List.of(false);
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--cpu-cgroup")) {
                cgroup = Path.of(args[++i]);
            } else if (args[i].equals("--priming")) {
                primings = List.of(false, true);
            } else {
                sizes.add(Integer.parseInt(args[i]));
            }
        }
        if (sizes.isEmpty()) {
            sizes = List.of(256, 512, 1024, 1769);
        }
        Path jar = Path.of("target", "kinesis-aggs-function-lambda.jar").toAbsolutePath();
        if (!Files.exists(jar)) {
            jar = Path.of("function", "target", "kinesis-aggs-function-lambda.jar").toAbsolutePath();
        }
        if (!Files.exists(jar)) {
            System.err.println("No packaged function: run ./mvnw -pl function -am install -DskipTests first.");
            System.exit(2);
        }
        if (cgroup != null) {
            Files.createDirectories(cgroup);
            if (!Files.isWritable(cgroup.resolve("cpu.cfs_quota_us"))) {
                System.err.println("Cannot write " + cgroup.resolve("cpu.cfs_quota_us") + ": run without --cpu-cgroup.");
                System.exit(2);
            }
        }
        Path dir = Files.createTempDirectory("kinesis-aggs-sizing");
        Map<String, Path> events = new LinkedHashMap<>();
        events.put("kpl-6MB", write(dir.resolve("kpl.json"), SizingEvents.largestAggregated("shardId-000000000007")));
        events.put("plain-1000", write(dir.resolve("plain.json"), SizingEvents.plain("shardId-000000000007", 1000)));
        for (Map.Entry<String, Path> e : events.entrySet()) {
            System.out.printf("event %s: %.2f MB of JSON%n", e.getKey(), Files.size(e.getValue()) / 1048576.0);
        }

        PackagedFunctionJvm jvm = new PackagedFunctionJvm(jar);

        try (LocalAws aws = LocalAws.start()) {
            int run = 0;
            for (int memoryMb : sizes) {
                for (Map.Entry<String, Path> event : events.entrySet()) {
                    for (boolean prime : primings) {
                        run++;
                        System.out.println(measure(aws, jvm, cgroup, new LambdaJvmFlags(memoryMb), event.getKey(),
                                event.getValue(), prime, run));
                    }
                }
            }
        } finally {
            if (cgroup != null) {
                Files.writeString(cgroup.resolve("cpu.cfs_quota_us"), "-1");
            }
            for (Path p : events.values()) {
                Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
    }

    /** One fresh JVM, one cold invocation on fresh tables: the figures as one line. */
    private static String measure(LocalAws aws, PackagedFunctionJvm jvm, Path cgroup, LambdaJvmFlags flags,
                                  String eventName, Path event, boolean prime, int run) throws IOException, InterruptedException {
        TableNames tables = new TableNames("sizing-aggs-" + run, "sizing-trips-" + run, "sizing-rejects-" + run);
        Tables.createIfMissing(aws.dynamoDb(), tables);
        List<String> command = new ArrayList<>();
        if (cgroup != null) {
            Files.writeString(cgroup.resolve("cpu.cfs_period_us"), "100000");
            Files.writeString(cgroup.resolve("cpu.cfs_quota_us"), Long.toString(Math.round(flags.vcpus() * 100_000)));
            // the shell joins the group, then becomes the JVM: only the function's JVM is throttled
            command.addAll(List.of("sh", "-c", "echo $$ > \"$0\" && exec \"$@\"", cgroup.resolve("cgroup.procs").toString()));
        }
        command.addAll(jvm.command(flags.flags(), SizedInvokeMain.class, event, prime));
        PackagedFunctionJvm.Run jvmRun = PackagedFunctionJvm.run(command, aws, tables, Duration.ofSeconds(300));
        String line = jvmRun.output().lines().filter(l -> l.startsWith("sized ")).findFirst()
                .orElse("sized outcome=crashed exit=" + jvmRun.exitValue() + " " + jvmRun.output().lines().reduce((a, b) -> b).orElse(""));
        long trips = aws.dynamoDb().scanPaginator(r -> r.tableName(tables.trips()).select("COUNT")).stream()
                .mapToLong(ScanResponse::count).sum();
        return String.format("memoryMb=%d vcpu=%.3f%s event=%s %s tripsStored=%d processWallMs=%d", flags.memoryMb(), flags.vcpus(),
                cgroup == null ? " (not throttled)" : "", eventName, line.substring("sized ".length()), trips, jvmRun.wallMs());
    }

    private static Path write(Path file, String json) throws IOException {
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }
}
