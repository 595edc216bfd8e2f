package dev.kinesisaggs.esm.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * AWS's Java runtime interface client ({@code aws-lambda-java-runtime-interface-client}, the program
 * Lambda's Java images run) and its own dependencies, at the versions its POM names. They are
 * embedded in this module's jar by the build (never on this JVM's class path: the runtime must see
 * nothing but itself, and the function only through its own class loader) and written once to a
 * cache directory, {@code ~/.cache/kinesis-aggs/lambda-runtime-client/<version>/}, from which the
 * execution environments' JVMs take their class path.
 *
 * <p>The client's native HTTP library is taken out of its jar here too, once: left to itself, each
 * runtime copies it to the one fixed path {@code /tmp/.libaws-lambda-jni.so} and loads it from there
 * (on Lambda every environment has a {@code /tmp} of its own), so two environments starting at once on
 * one machine overwrite each other's library and one of them aborts. The environments load it from
 * the cache instead ({@link #nativeLibraryProperty}).
 */
public final class RuntimeClientJars {

    /** The runtime's main class, as in Lambda's Java images. */
    public static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String RESOURCES = "/dev/kinesisaggs/esm/runtime/client/";
    private static final String COMPLETE = ".complete";
    private static final String JNI_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

    private final String version;
    private final List<String> jarNames;

    private RuntimeClientJars(String version, List<String> jarNames) {
        this.version = version;
        this.jarNames = jarNames;
    }

    /** The embedded set, as the build recorded it. */
    public static RuntimeClientJars embedded() {
        Properties p = new Properties();
        try (InputStream in = RuntimeClientJars.class.getResourceAsStream("/dev/kinesisaggs/esm/runtime/client.properties")) {
            if (in == null) {
                throw new IllegalStateException("This build of the event source mapping has no embedded Lambda runtime client:"
                        + " rebuild it with Maven (its generate-resources phase copies the client in).");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> names = Arrays.stream(p.getProperty("jars").split(",")).map(String::trim).toList();
        return new RuntimeClientJars(p.getProperty("version"), names);
    }

    public String version() {
        return version;
    }

    /** Writes the jars to the cache (once per version) and returns them, the runtime interface client first. */
    public List<Path> install() {
        Path dir = directory();
        if (!Files.exists(dir.resolve(COMPLETE))) {
            write(dir);
        }
        List<Path> jars = new ArrayList<>();
        for (String name : jarNames) {
            jars.add(dir.resolve(name));
        }
        return jars;
    }

    /**
     * The {@code -cp} value of the runtime's JVM: one spelling for the environments and for the class data sharing
     * archive made for them, since the JVM maps an archive only under the class path it was made with.
     */
    static String classPath(List<Path> jars) {
        return String.join(java.io.File.pathSeparator, jars.stream().map(Path::toString).toList());
    }

    /** The JVM option that makes the runtime load its native library from the cache, for this machine's C library and CPU. */
    public String nativeLibraryProperty() {
        String arch = System.getProperty("os.arch").equals("aarch64") ? "aarch_64" : "x86_64";
        boolean musl = Files.exists(Path.of("/lib/ld-musl-" + (arch.equals("aarch_64") ? "aarch64" : "x86_64") + ".so.1"));
        Path library = directory().resolve("jni").resolve("libaws-lambda-jni." + (musl ? "linux_musl-" : "linux-") + arch + ".so");
        return "-D" + JNI_PROPERTY + "=" + library;
    }

    private Path directory() {
        return cacheRoot().resolve(version);
    }

    private void write(Path dir) {
        try {
            Files.createDirectories(dir.getParent());
            // written beside, then moved into place: two JVMs installing at once both end with a whole directory
            Path staging = Files.createTempDirectory(dir.getParent(), version + ".tmp");
            for (String name : jarNames) {
                try (InputStream in = RuntimeClientJars.class.getResourceAsStream(RESOURCES + name)) {
                    if (in == null) {
                        throw new IllegalStateException("The embedded Lambda runtime client lacks " + name
                                + ": rebuild the event source mapping with Maven.");
                    }
                    Files.copy(in, staging.resolve(name));
                }
            }
            extractNativeLibraries(staging.resolve(jarNames.get(0)), Files.createDirectory(staging.resolve("jni")));
            Files.createFile(staging.resolve(COMPLETE));
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException | AtomicMoveNotSupportedException e) {
                // another JVM got there first (or left a broken directory, which we replace)
                if (!Files.exists(dir.resolve(COMPLETE))) {
                    FileTrees.deleteQuietly(dir);
                    Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    FileTrees.deleteQuietly(staging);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the Lambda runtime client to " + dir, e);
        }
    }

    private static void extractNativeLibraries(Path clientJar, Path into) throws IOException {
        try (java.util.jar.JarFile jar = new java.util.jar.JarFile(clientJar.toFile())) {
            for (var entries = jar.entries(); entries.hasMoreElements(); ) {
                var entry = entries.nextElement();
                if (entry.getName().startsWith("jni/") && entry.getName().endsWith(".so")) {
                    try (InputStream in = jar.getInputStream(entry)) {
                        Files.copy(in, into.resolve(entry.getName().substring("jni/".length())));
                    }
                }
            }
        }
    }

    private static Path cacheRoot() {
        String override = System.getProperty("kinesisaggs.runtimeClientCache");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "kinesis-aggs", "lambda-runtime-client");
    }
}
