package dev.kinesisaggs.app.dashboard;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, run headless once per page load: either the DOM after the page ran for a
 * while of virtual time, or a screenshot. Tests skip, saying so, where Chromium is not installed.
 */
final class HeadlessChromium {

    private final Path executable;
    private final Path workDir;

    private HeadlessChromium(Path executable, Path workDir) {
        this.executable = executable;
        this.workDir = workDir;
    }

    static HeadlessChromium find(Path workDir) {
        Path executable = Stream.of(System.getenv("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser")
                .filter(p -> p != null && !p.isBlank())
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        Assumptions.assumeTrue(executable != null,
                "Chromium is not installed (apt-get install chromium, or set CHROMIUM): skipping the browser test.");
        return new HeadlessChromium(executable, workDir);
    }

    /** The page's DOM, serialised, after {@code virtualMillis} of virtual time (timers and fetches run). */
    String dumpDom(URI page, int virtualMillis) throws IOException, InterruptedException {
        Path out = Files.createTempFile(workDir, "dom", ".html");
        run(List.of("--virtual-time-budget=" + virtualMillis, "--dump-dom", page.toString()), out);
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** A PNG of the page at the given size after {@code virtualMillis} of virtual time. */
    void screenshot(URI page, int virtualMillis, Path png, int width, int height) throws IOException, InterruptedException {
        Files.deleteIfExists(png);
        run(List.of("--virtual-time-budget=" + virtualMillis, "--hide-scrollbars",
                "--window-size=" + width + "," + height, "--screenshot=" + png.toAbsolutePath(), page.toString()),
                Files.createTempFile(workDir, "screenshot", ".log"));
        if (!Files.isRegularFile(png)) {
            throw new IOException("Chromium wrote no screenshot to " + png);
        }
    }

    private void run(List<String> args, Path stdout) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(workDir, "chromium-profile");
        List<String> command = new ArrayList<>(List.of(executable.toString(),
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile));
        command.addAll(args);
        Process chromium = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(workDir.resolve("chromium-stderr.log").toFile())
                .start();
        try {
            if (!chromium.waitFor(90, TimeUnit.SECONDS)) {
                throw new IOException("Chromium did not finish within 90 s: see " + workDir.resolve("chromium-stderr.log"));
            }
            if (chromium.exitValue() != 0) {
                throw new IOException("Chromium exited with " + chromium.exitValue() + ": see " + workDir.resolve("chromium-stderr.log"));
            }
        } finally {
            chromium.destroyForcibly();
            deleteTree(profile);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
