package dev.kinesisaggs.localaws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The emulators' npm packages, installed with the machine's {@code npm ci} from the lockfile
 * shipped in this jar, into a per-user cache directory keyed by a hash of the lockfile:
 * {@code ~/.cache/kinesis-aggs/node/<hash>/node_modules}.
 *
 * <p>An installation is made once per lockfile: in a temporary directory, then moved into
 * place atomically, under a file lock, so that two JVMs (parallel builds, a test run next to
 * the command line) never see a half-installed tree. Override the cache directory with the
 * system property {@value #CACHE_PROPERTY} or the environment variable {@value #CACHE_ENV}.
 */
public final class NodeModules {
    public static final String CACHE_PROPERTY = "kinesisaggs.nodeCache";
    public static final String CACHE_ENV = "KINESIS_AGGS_NODE_CACHE";
    static final String GUARD_SCRIPT = "kinesis-aggs-guard.js";
    static final String PARTIQL_SCRIPT = "dynalite-partiql.js";
    private static final String RESOURCES = "dev/kinesisaggs/localaws/npm/";
    private static final List<String> FILES = List.of("package.json", "package-lock.json", GUARD_SCRIPT, PARTIQL_SCRIPT);
    private static final String COMPLETE_MARKER = ".installed";
    private static final long NPM_TIMEOUT_MINUTES = 10;

    /** Threads of one JVM must not take the same file lock twice (that throws), so they queue here first. */
    private static final Object IN_JVM_LOCK = new Object();

    private final Path cacheDirectory;

    public NodeModules(Path cacheDirectory) {
        this.cacheDirectory = cacheDirectory.toAbsolutePath().normalize();
    }

    /** The installer for the per-user cache, or the directory given by property or environment. */
    public static NodeModules inUserCache() {
        return new NodeModules(defaultCacheDirectory());
    }

    /** Installs the emulators when missing or when the lockfile changed; returns the {@code node_modules} directory. */
    public static Path install() {
        return inUserCache().installation().nodeModules();
    }

    public static Path defaultCacheDirectory() {
        String configured = System.getProperty(CACHE_PROPERTY, System.getenv(CACHE_ENV));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("kinesis-aggs").resolve("node");
    }

    public Path cacheDirectory() {
        return cacheDirectory;
    }

    /** Installs when needed and returns the installation (its directory, node_modules, guard script). */
    public NodeInstallation installation() {
        Map<String, byte[]> files = readResources();
        Path target = cacheDirectory.resolve(hash(files));
        if (isComplete(target)) {
            return new NodeInstallation(target);
        }
        synchronized (IN_JVM_LOCK) {
            try {
                Files.createDirectories(cacheDirectory);
                Path lockFile = cacheDirectory.resolve(target.getFileName() + ".lock");
                try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    FileLock lock = channel.lock(); // blocks while another JVM installs
                    try {
                        if (!isComplete(target)) {
                            installInto(target, files);
                        }
                        return new NodeInstallation(target);
                    } finally {
                        lock.release();
                    }
                }
            } catch (IOException e) {
                throw new LocalAwsException("Could not install the emulators into " + cacheDirectory + " (" + e.getMessage()
                        + "): make it writable or point " + CACHE_ENV + " at a writable directory.", e);
            }
        }
    }

    private void installInto(Path target, Map<String, byte[]> files) throws IOException {
        NodeRuntime.require();
        // anything left beside the target is from an install that was killed half-way: we hold the lock
        deleteLeftovers(target);
        Path staging = Files.createTempDirectory(cacheDirectory, target.getFileName() + ".tmp-");
        try {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                Files.write(staging.resolve(file.getKey()), file.getValue());
            }
            runNpmCi(staging);
            Files.writeString(staging.resolve(COMPLETE_MARKER), "");
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            if (Files.exists(staging)) {
                FileTrees.deleteQuietly(staging);
            }
        }
    }

    private static void runNpmCi(Path directory) throws IOException {
        Path log = directory.resolve("npm-ci.log");
        // --ignore-scripts: the LevelDB bindings ship prebuilt binaries that load without their
        // install scripts, and npm 11 skips unapproved scripts anyway; this way npm 10 and 11 agree.
        List<String> command = List.of(NodeRuntime.npm(), "ci", "--ignore-scripts", "--no-audit", "--no-fund",
                "--loglevel=error");
        Process process = new ProcessBuilder(command)
                .directory(directory.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        process.getOutputStream().close();
        try {
            if (!process.waitFor(NPM_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new LocalAwsException("`npm ci` for the emulators did not finish within " + NPM_TIMEOUT_MINUTES
                        + " minutes: check that the npm registry is reachable (last lines of its log: "
                        + LogTail.of(log, 5) + ").");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LocalAwsException("Interrupted while `npm ci` installed the emulators.", e);
        }
        if (process.exitValue() != 0) {
            throw new LocalAwsException("`npm ci` for the emulators failed with exit code " + process.exitValue()
                    + ": check that the npm registry is reachable (last lines of its log: " + LogTail.of(log, 5) + ").");
        }
    }

    private void deleteLeftovers(Path target) throws IOException {
        if (Files.exists(target)) {
            FileTrees.deleteQuietly(target);
        }
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(cacheDirectory, target.getFileName() + ".tmp-*")) {
            for (Path path : stale) {
                FileTrees.deleteQuietly(path);
            }
        }
    }

    private static boolean isComplete(Path target) {
        return Files.isRegularFile(target.resolve(COMPLETE_MARKER)) && Files.isDirectory(target.resolve("node_modules"));
    }

    private static Map<String, byte[]> readResources() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        ClassLoader loader = NodeModules.class.getClassLoader();
        for (String name : FILES) {
            try (InputStream in = loader.getResourceAsStream(RESOURCES + name)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + RESOURCES + name + " is missing from the local-aws jar");
                }
                files.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    private static String hash(Map<String, byte[]> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            List<String> names = new ArrayList<>(files.keySet());
            for (String name : names) {
                digest.update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(files.get(name));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
