package dev.kinesisaggs.core.kpl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Our codec against awslabs' Node {@code aws-kinesis-agg} (the version pinned in local-aws/npm):
 * what Node aggregates we read, and what we aggregate Node reads, record for record.
 *
 * <p>Installs {@code aws-kinesis-agg} and what it needs itself, as local-aws's lockfile pins them ({@code npm ci} into
 * {@code target/kpl-npm}), and is skipped when {@code node} or {@code npm} is not installed.
 */
class NodeKinesisAggCompatibilityIT {

    private static Path npmDir;

    @BeforeAll
    static void installAwsKinesisAgg() throws Exception {
        Assumptions.assumeTrue(runs("node", "--version") && runs("npm", "--version"),
                "node and npm are not on the PATH: install Node.js 20 or later to run the Node KPL compatibility test");
        Path source = Path.of(System.getProperty("user.dir")).getParent().resolve("local-aws").resolve("npm");
        Assumptions.assumeTrue(Files.isRegularFile(source.resolve("package-lock.json")),
                "local-aws/npm/package-lock.json is not beside this module: run the build from the repository");
        npmDir = Path.of("target", "kpl-npm").toAbsolutePath();
        Files.createDirectories(npmDir);
        byte[] subLockScript;
        try (var script = NodeKinesisAggCompatibilityIT.class.getResourceAsStream("/kpl/npm-sub-lock.js")) {
            subLockScript = script.readAllBytes();
        }
        // what the installation was made from: the lockfile and the script that cut it
        byte[] from = concat(Files.readAllBytes(source.resolve("package-lock.json")), subLockScript);
        Path installedFrom = npmDir.resolve("installed-from");
        boolean current = Files.isRegularFile(npmDir.resolve("node_modules/aws-kinesis-agg/package.json"))
                && Files.isRegularFile(installedFrom) && Arrays.equals(from, Files.readAllBytes(installedFrom));
        if (!current) {
            // only aws-kinesis-agg and what it needs, at the lockfile's versions: the whole tree is some 65 MB
            // (CloudFormation's resource specification among it), and its `npm ci` took 17 s of this module's build
            Files.deleteIfExists(installedFrom);
            Files.write(npmDir.resolve("npm-sub-lock.js"), subLockScript);
            Path subLockLog = npmDir.resolve("npm-sub-lock.log");
            Process subLock = new ProcessBuilder("node", "npm-sub-lock.js", source.resolve("package-lock.json").toString(),
                    npmDir.toString(), "aws-kinesis-agg").directory(npmDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(subLockLog.toFile()).start();
            assertThat(subLock.waitFor(1, TimeUnit.MINUTES)).as("npm-sub-lock.js finished within a minute").isTrue();
            assertThat(subLock.exitValue()).as("npm-sub-lock.js exit code; output: %s", Files.readString(subLockLog)).isZero();
            Process npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                    .directory(npmDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(npmDir.resolve("npm-ci.log").toFile()).start();
            assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci finished within 5 minutes").isTrue();
            assertThat(npm.exitValue()).as("npm ci exit code, see " + npmDir.resolve("npm-ci.log")).isZero();
            Files.write(installedFrom, from);
        }
        try (var script = NodeKinesisAggCompatibilityIT.class.getResourceAsStream("/kpl/node-kpl-interop.js")) {
            Files.copy(script, npmDir.resolve("node-kpl-interop.js"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static boolean runs(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static List<String[]> runNode(List<String> inputLines) throws Exception {
        Process node = new ProcessBuilder("node", "node-kpl-interop.js").directory(npmDir.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (var stdin = node.getOutputStream()) {
            stdin.write((String.join("\n", inputLines) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        byte[] output = node.getInputStream().readAllBytes();
        assertThat(node.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(node.exitValue()).as("node exit code").isZero();
        return new String(output, StandardCharsets.UTF_8).lines().filter(l -> !l.isEmpty())
                .map(l -> l.split("\t", -1)).collect(Collectors.toList());
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String text) {
        return new String(Base64.getDecoder().decode(text), StandardCharsets.UTF_8);
    }

    /**
     * Random groups of user records. Node's aggregator (4.2.8) lists its key tables with
     * {@code Object.keys}, which puts array-index-like keys ("7", "42", any explicit hash key below
     * 2^32 - 1) first, in numeric order, so the indices it wrote point at the wrong keys: a Node bug,
     * kept out of the inputs of the Node-aggregates direction.
     */
    private static List<List<InputRecord>> groups(boolean forNodeAggregator) {
        return InputRecord.records(300).list().ofMinSize(1).ofMaxSize(30)
                .filter(group -> !forNodeAggregator || group.stream().noneMatch(
                        r -> isArrayIndex(r.partitionKey()) || isArrayIndex(r.explicitHashKey())))
                .sampleStream().limit(200).collect(Collectors.toList());
    }

    private static boolean isArrayIndex(String key) {
        return key != null && key.matches("0|[1-9][0-9]{0,9}") && Long.parseLong(key) < 0xFFFF_FFFFL;
    }

    /**
     * What Node's deaggregator (4.2.8) reports as a user record's explicit hash key: protobufjs reads an
     * absent index as 0, so a record without one gets the first entry of the table, if any (a Node bug;
     * KCL and we report none).
     */
    private static List<InputRecord> asNodeReadsThem(List<InputRecord> group) {
        String firstHashKey = group.stream().map(InputRecord::explicitHashKey).filter(java.util.Objects::nonNull)
                .findFirst().orElse(null);
        return group.stream().map(r -> r.explicitHashKey() != null ? r
                : new InputRecord(r.partitionKey(), firstHashKey, r.data())).toList();
    }

    @Test
    void weReadWhatNodeAggregates() throws Exception {
        List<List<InputRecord>> groups = groups(true);
        List<String> input = new ArrayList<>();
        for (List<InputRecord> group : groups) {
            for (InputRecord r : group) {
                input.add(String.join("\t", "U", b64(r.partitionKey()),
                        r.explicitHashKey() == null ? "-" : b64(r.explicitHashKey()),
                        Base64.getEncoder().encodeToString(r.data())));
            }
            input.add("F");
        }

        List<String[]> aggregates = runNode(input);

        assertThat(aggregates).hasSize(groups.size());
        Deaggregator deaggregator = new Deaggregator();
        for (int i = 0; i < groups.size(); i++) {
            String[] aggregate = aggregates.get(i);
            assertThat(aggregate[0]).isEqualTo("N");
            List<InputRecord> expected = groups.get(i);
            // Node routes an aggregate by its first record's partition key and explicit hash key, as we do
            assertThat(unb64(aggregate[1])).isEqualTo(expected.get(0).partitionKey());
            Deaggregated read = deaggregator.deaggregateToList(Base64.getDecoder().decode(aggregate[3]), unb64(aggregate[1]), null);
            assertThat(read.outcome()).isEqualTo(new DeaggregationResult.Aggregated(expected.size()));
            assertThat(read.records()).extracting(UserRecord::subSequenceNumber)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, expected.size()).boxed().toList());
            assertThat(read.records().stream()
                    .map(r -> new InputRecord(r.partitionKey(), r.explicitHashKey(), r.data())).toList())
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void nodeReadsWhatWeAggregate() throws Exception {
        List<List<InputRecord>> groups = groups(false);
        List<String> input = new ArrayList<>();
        for (List<InputRecord> group : groups) {
            Aggregator aggregator = new Aggregator(KplFormat.MAX_KINESIS_RECORD_BYTES, SingleRecordMode.AGGREGATED);
            group.forEach(r -> assertThatCode(() -> aggregator.add(r.partitionKey(), r.explicitHashKey(), r.data()))
                    .doesNotThrowAnyException());
            PutRecordEntry entry = aggregator.flush().orElseThrow();
            input.add(String.join("\t", "A", b64(entry.partitionKey()), Base64.getEncoder().encodeToString(entry.data())));
        }

        List<String[]> lines = runNode(input);

        assertThat(lines).noneMatch(l -> l[0].equals("E"));
        List<List<InputRecord>> readByNode = new ArrayList<>();
        groups.forEach(g -> readByNode.add(new ArrayList<>()));
        for (String[] line : lines) {
            int aggregate = Integer.parseInt(line[1]);
            assertThat(Integer.parseInt(line[2])).isEqualTo(readByNode.get(aggregate).size());
            readByNode.get(aggregate).add(new InputRecord(unb64(line[3]), line[4].equals("-") ? null : unb64(line[4]),
                    Base64.getDecoder().decode(line[5])));
        }
        assertThat(readByNode).containsExactlyElementsOf(groups.stream().map(NodeKinesisAggCompatibilityIT::asNodeReadsThem).toList());
    }

    @Test
    void nodeAlsoRejectsAnAggregateWithABadMd5() throws Exception {
        Aggregator aggregator = new Aggregator(Aggregator.DEFAULT_MAX_AGGREGATE_BYTES, SingleRecordMode.AGGREGATED);
        aggregator.add("k", null, "data".getBytes(StandardCharsets.UTF_8));
        byte[] data = aggregator.flush().orElseThrow().data();
        data[data.length - 1] ^= 1;

        List<String[]> lines = runNode(List.of(String.join("\t", "A", b64("k"), Base64.getEncoder().encodeToString(data))));

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)[0]).isEqualTo("E");
        assertThat(lines.get(0)[2]).isEqualTo("Invalid record checksum");
        assertThat(new Deaggregator().deaggregateToList(data, "k", null).outcome())
                .isInstanceOf(DeaggregationResult.Broken.class);
    }
}
