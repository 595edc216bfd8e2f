package dev.kinesisaggs.localaws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The hard case: the JVM that started the emulators dies by SIGKILL, without running any hook. */
class KilledJvmIT {

    @Test
    void emulatorsOfAKilledJvmAreGoneWithinSecondsAndTheirPortsAreFree() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                StartEmulatorsAndWait.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            String ready = readyLine(child);
            List<Long> numbers = Arrays.stream(ready.split(" ")).skip(1).map(Long::valueOf).toList();
            List<Integer> ports = List.of(numbers.get(0).intValue(), numbers.get(1).intValue());
            List<Long> pids = numbers.subList(2, 4);
            assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).map(PidFiles::isOurEmulator)).contains(true));
            assertThat(ports).allSatisfy(port -> assertThat(LoopbackPorts.isFree(port)).isFalse());

            child.destroyForcibly(); // SIGKILL on Unix: no shutdown hook runs
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(pids).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
                assertThat(ports).allSatisfy(port -> assertThat(LoopbackPorts.isFree(port)).isTrue());
            });
        } finally {
            child.destroyForcibly();
        }
    }

    private static String readyLine(Process child) throws Exception {
        BufferedReader reader = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.startsWith("ready ")) {
                return line;
            }
        }
        throw new AssertionError("the child JVM ended without starting the emulators (exit code " + child.waitFor() + ")");
    }
}
