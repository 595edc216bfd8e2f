package dev.kinesisaggs.esm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Execution environments never outlive the program that started them, even one killed with SIGKILL in the
 * middle of an invocation.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KilledParentIT {

    @Test
    void killingTheProgramWithSigkillEndsItsEnvironmentsWithinSeconds(@TempDir Path dir) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process parent = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                EnvironmentsProcessMain.class.getName(), dir.toString()).redirectErrorStream(true).start();
        ProcessHandle environment;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8))) {
            Long pid = null;
            for (String line = out.readLine(); line != null && !line.equals("invoked"); line = out.readLine()) {
                Matcher m = Pattern.compile("^probe .* pid=(\\d+) ").matcher(line);
                if (m.find()) {
                    pid = Long.parseLong(m.group(1));
                }
            }
            assertThat(pid).as("the environment's JVM printed its pid").isNotNull();
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            assertThat(handle).as("the environment is alive while its program is").isPresent();
            environment = handle.get();
            assertThat(environment.isAlive()).isTrue();
            // now busy with the ten-minute invocation: only the guard can end it
            await().atMost(Duration.ofSeconds(10)).until(() -> out.ready() && out.readLine().startsWith("START RequestId"));

            parent.destroyForcibly(); // SIGKILL: no shutdown hook, no close()
            assertThat(parent.waitFor(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            parent.destroyForcibly();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !environment.isAlive());
    }
}
