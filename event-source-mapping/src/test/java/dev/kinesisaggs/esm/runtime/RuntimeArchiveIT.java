package dev.kinesisaggs.esm.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runtime's class data sharing archive, made by the JDK and checked by the JDK: it maps it, and loads from it. */
class RuntimeArchiveIT {

    private static final Path JAVA_HOME = Path.of(System.getProperty("java.home"));

    /** Each dump costs a JVM some seconds of CPU: one test makes the archive, uses it, and then makes another for other jars. */
    @Test
    void theRuntimeClientsClassesComeFromTheArchiveWhichIsMadeOncePerJarsAndAgainForOtherJars(@TempDir Path cache) throws Exception {
        List<Path> classpath = runtimeJarsIn(cache);
        // what a dump killed midway an hour ago left (a JVM killed with its mapping), and the files of one another JVM
        // is making now
        Path directory = Files.createDirectories(cache.resolve("cds"));
        for (String leftover : List.of("classlist17.tmp", "classlist17.tmp.jsa", "classlist17.tmp.jsa.log")) {
            Files.setLastModifiedTime(Files.writeString(directory.resolve(leftover), "left"),
                    FileTime.from(Instant.now().minus(Duration.ofHours(1))));
        }
        Path dumpingNow = Files.writeString(directory.resolve("classlist42.tmp"), "in use");

        Path archive = RuntimeArchive.forRuntime(JAVA_HOME, classpath).orElseThrow();
        FileTime made = Files.getLastModifiedTime(archive);
        assertThat(archive).startsWith(directory);
        try (var left = Files.list(directory)) {
            assertThat(left).as("nothing but the archive and the running dump's file left beside it")
                    .containsExactlyInAnyOrder(archive, dumpingNow);
        }

        // -Xshare:on: the JVM fails rather than start without the archive
        String loaded = classLoads(archive, classpath, "-Xshare:on");
        assertThat(loaded).contains(RuntimeClientJars.MAIN_CLASS + " source: shared objects file")
                .contains("java.lang.Object source: shared objects file");

        assertThat(RuntimeArchive.forRuntime(JAVA_HOME, classpath)).contains(archive);
        assertThat(Files.getLastModifiedTime(archive)).as("the same archive, not made again").isEqualTo(made);

        Files.setLastModifiedTime(classpath.get(0), FileTime.fromMillis(Files.getLastModifiedTime(classpath.get(0)).toMillis() - 60_000));

        // the JVM would refuse the first archive for a jar changed since; another is made for it, and mapped
        Path other = RuntimeArchive.forRuntime(JAVA_HOME, classpath).orElseThrow();
        assertThat(other).isNotEqualTo(archive);
        assertThat(classLoads(other, classpath, "-Xshare:on")).contains(RuntimeClientJars.MAIN_CLASS + " source: shared objects file");
    }

    /**
     * Made by a JVM that runs with options of its own in its environment (here ZGC, which would dump an archive without
     * compressed oops): the archive is still the one the environments, started without them, can map.
     */
    @Test
    void theOptionsOfTheJvmThatMakesItAreNotTheArchives(@TempDir Path cache) throws Exception {
        List<Path> classpath = runtimeJarsIn(cache).stream().sorted().toList();
        ProcessBuilder maker = new ProcessBuilder(JAVA_HOME.resolve("bin").resolve("java").toString(), "-cp",
                System.getProperty("java.class.path"), MakeRuntimeArchiveMain.class.getName(), cache.toString());
        maker.environment().put("JAVA_TOOL_OPTIONS", "-XX:+UseZGC");
        Process process = maker.redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        Path archive = Path.of(out.lines().reduce((a, b) -> b).orElseThrow());
        assertThat(archive).as(out).isRegularFile();

        assertThat(classLoads(archive, classpath, "-Xshare:on")).contains(RuntimeClientJars.MAIN_CLASS + " source: shared objects file");
    }

    /** The runtime client's jars, copied to a cache of the test's own. */
    private static List<Path> runtimeJarsIn(Path cache) throws Exception {
        List<Path> classpath = new ArrayList<>();
        for (Path jar : RuntimeClientJars.embedded().install()) {
            classpath.add(Files.copy(jar, cache.resolve(jar.getFileName())));
        }
        return classpath;
    }

    /** The class loading log of a JVM that starts the runtime client (which then stops: no runtime API is set). */
    private static String classLoads(Path archive, List<Path> classpath, String share) throws Exception {
        Process java = new ProcessBuilder(JAVA_HOME.resolve("bin").resolve("java").toString(), share,
                "-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info", "-cp",
                String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()), RuntimeClientJars.MAIN_CLASS,
                "example.Handler::handleRequest")
                .redirectErrorStream(true).start();
        java.getOutputStream().close();
        String out = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(java.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).doesNotContain("Unable to use shared archive").doesNotContain("An error has occurred while processing the shared archive");
        return out;
    }
}
