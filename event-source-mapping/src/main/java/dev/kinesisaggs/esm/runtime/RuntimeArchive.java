package dev.kinesisaggs.esm.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A class data sharing archive of the JDK's and the runtime client's classes, which the execution environments' JVMs
 * map at start instead of loading those classes from their jars. Lambda's Java runtimes start the same way: the command
 * line of their JVM, as it shows in a function's process list, ends its flags with
 * {@code -Xshare:on -XX:SharedArchiveFile=/var/lang/lib/server/runtime.jsa} (an archive of the runtime's own; AWS does not
 * document what it holds, so this one holds what the runtime alone loads for certain: the JDK's default class list and
 * the classes of the runtime client's jars, none of the function's, which its own class loader loads as on Lambda).
 *
 * <p>Made once per JDK and runtime client, by the JDK itself ({@code -Xshare:dump}, with none of this JVM's option
 * variables, as the environments start with none), in the runtime client's cache directory; once per JVM at most, made
 * or not. One that cannot be made leaves the environments without (their inits take about 0.17 CPU-s more, as before).
 * A JVM that cannot map the archive starts anyway ({@code -Xshare:auto}) but without sharing any class, the JDK's own
 * included: {@link LambdaJvmFlags} leaves it out where that would happen (a collector without compressed oops).
 */
final class RuntimeArchive {
    private static final Logger LOG = LoggerFactory.getLogger(RuntimeArchive.class);
    private static final long DUMP_TIMEOUT_SECONDS = 120;

    private RuntimeArchive() {
    }

    /** What each archive came to in this JVM: mappings started at once wait for one dump, and a failed one is not retried. */
    private static final Map<Path, Optional<Path>> MADE = new ConcurrentHashMap<>();

    /** The archive for this JDK and runtime class path, made now if it is not there yet; empty if it cannot be made. */
    static Optional<Path> forRuntime(Path javaHome, List<Path> runtimeClasspath) {
        Path archive;
        try {
            archive = runtimeClasspath.get(0).getParent().resolve("cds").resolve("runtime-" + key(javaHome, runtimeClasspath) + ".jsa");
        } catch (IOException | UncheckedIOException e) {
            withoutArchive(e.getMessage());
            return Optional.empty();
        }
        return MADE.computeIfAbsent(archive, a -> Files.isRegularFile(a) ? Optional.of(a) : make(a, javaHome, runtimeClasspath));
    }

    private static Optional<Path> make(Path archive, Path javaHome, List<Path> runtimeClasspath) {
        try {
            Path directory = archive.getParent();
            Files.createDirectories(directory);
            sweepLeftovers(directory);
            // written beside, then moved into place: two JVMs making it at once both end with a whole archive
            Path classList = Files.createTempFile(directory, "classlist", ".tmp");
            Path staging = directory.resolve(classList.getFileName() + ".jsa");
            try {
                Files.write(classList, classList(javaHome, runtimeClasspath));
                if (!dump(javaHome, runtimeClasspath, classList, staging)) {
                    return Optional.empty();
                }
                Files.move(staging, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return Optional.of(archive);
            } finally {
                Files.deleteIfExists(classList);
                Files.deleteIfExists(staging);
            }
        } catch (IOException | UncheckedIOException e) {
            withoutArchive(e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * Deletes what dumps of other JVMs left when they were killed midway (their class list, staging archive and log): a
     * dump older than twice its timeout is over, one way or the other, so only those are touched. Best effort: a file it
     * cannot read or delete (another user's, in a shared cache) is left, and the archive made all the same.
     */
    private static void sweepLeftovers(Path directory) {
        long before = System.currentTimeMillis() - TimeUnit.SECONDS.toMillis(2 * DUMP_TIMEOUT_SECONDS);
        try (var files = Files.list(directory)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.startsWith("classlist") && name.contains(".tmp")) {
                    try {
                        if (Files.getLastModifiedTime(file).toMillis() < before) {
                            Files.deleteIfExists(file);
                        }
                    } catch (IOException e) {
                        LOG.debug("Left {} in the archive's directory: {}", file, e.toString());
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.debug("Could not look for what killed dumps left in {}: {}", directory, e.toString());
        }
    }

    /** The JDK's default class list, then every class of the runtime's jars (those that do not load are skipped by the dump). */
    private static List<String> classList(Path javaHome, List<Path> runtimeClasspath) throws IOException {
        List<String> classes = new ArrayList<>();
        Path jdkList = javaHome.resolve("lib").resolve("classlist");
        if (Files.isRegularFile(jdkList)) {
            classes.addAll(Files.readAllLines(jdkList, StandardCharsets.UTF_8));
        }
        for (Path jar : runtimeClasspath) {
            try (JarFile file = new JarFile(jar.toFile())) {
                file.stream().map(e -> e.getName())
                        .filter(n -> n.endsWith(".class") && !n.startsWith("META-INF/") && !n.endsWith("module-info.class"))
                        .map(n -> n.substring(0, n.length() - ".class".length()))
                        .forEach(classes::add);
            }
        }
        return classes;
    }

    private static boolean dump(Path javaHome, List<Path> runtimeClasspath, Path classList, Path archive) throws IOException {
        Path log = archive.resolveSibling(archive.getFileName() + ".log");
        ProcessBuilder builder = new ProcessBuilder(javaHome.resolve("bin").resolve("java").toString(), "-Xshare:dump",
                "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + archive,
                "-cp", RuntimeClientJars.classPath(runtimeClasspath))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        // the options of this JVM's environment (JAVA_TOOL_OPTIONS, _JAVA_OPTIONS, JDK_JAVA_OPTIONS) would make the archive
        // theirs: one dumped under ZGC has no compressed oops, and every environment, started without them, rejected it
        Map<String, String> environment = builder.environment();
        String path = environment.get("PATH");
        environment.clear();
        if (path != null) {
            environment.put("PATH", path);
        }
        Process dump = builder.start();
        try {
            boolean ended = dump.waitFor(DUMP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (!ended || dump.exitValue() != 0 || !Files.isRegularFile(archive)) {
                dump.destroyForcibly();
                withoutArchive("the JDK's dump " + (ended ? "ended with code " + dump.exitValue() : "took over " + DUMP_TIMEOUT_SECONDS + " s"));
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            dump.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static void withoutArchive(String why) {
        LOG.warn("No class data sharing archive for the execution environments ({}): they start without one.", why);
    }

    /** Which JDK (its directory and its release file) and which jars: another of either is another archive. */
    private static String key(Path javaHome, List<Path> runtimeClasspath) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(javaHome.toRealPath().toString().getBytes(StandardCharsets.UTF_8));
            Path release = javaHome.resolve("release");
            if (Files.isRegularFile(release)) {
                digest.update(Files.readAllBytes(release));
            }
            for (Path jar : runtimeClasspath) {
                digest.update(jar.toString().getBytes(StandardCharsets.UTF_8));
                // the JVM checks these two against the archive's, and ignores an archive of other jars
                digest.update((Files.size(jar) + "/" + Files.getLastModifiedTime(jar).toMillis()).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
