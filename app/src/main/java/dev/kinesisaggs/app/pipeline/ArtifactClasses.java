package dev.kinesisaggs.app.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * Whether a Lambda deployment package holds a class where Lambda's Java runtime looks for it: at the package's root
 * (its {@code /var/task}) or in one of its {@code lib/*.jar}. A handler class found in neither fails every invocation
 * (a ClassNotFoundException at init, as on Lambda, where a layer could still bring it; locally nothing can), so the
 * commands refuse it before they start.
 */
final class ArtifactClasses {

    private ArtifactClasses() {
    }

    /**
     * True when the package holds the class, or may: a {@code lib/*.jar} this reader cannot read (the runtime's own
     * reader may) is taken as holding it, so that only a class surely absent is refused.
     *
     * @throws IllegalArgumentException in one sentence when the package is neither a .zip (a .jar is one) nor a
     *                                  directory: the runtime could not unpack it either, and a command that went on
     *                                  would fail in a child process, further from the option that caused it
     */
    static boolean holds(Path artifact, String className) {
        String entry = className.replace('.', '/') + ".class";
        try {
            return Files.isDirectory(artifact) ? inDirectory(artifact, entry) : inZip(artifact, entry);
        } catch (IOException | RuntimeException unreadable) {
            throw new IllegalArgumentException("--function-jar " + artifact + " cannot be read as a .jar or .zip file ("
                    + unreadable.getMessage() + "): give the deployment package Lambda would get", unreadable);
        }
    }

    private static boolean inDirectory(Path dir, String entry) throws IOException {
        if (Files.isRegularFile(dir.resolve(entry))) {
            return true;
        }
        Path lib = dir.resolve("lib");
        if (!Files.isDirectory(lib)) {
            return false;
        }
        try (Stream<Path> jars = Files.list(lib)) {
            boolean unread = false;
            for (Path jar : jars.filter(p -> p.getFileName().toString().endsWith(".jar")).toList()) {
                try (InputStream in = Files.newInputStream(jar)) {
                    if (jarHolds(in, entry)) {
                        return true;
                    }
                } catch (IOException | RuntimeException cannotTell) {
                    unread = true;
                }
            }
            return unread;
        }
    }

    private static boolean inZip(Path zip, String entry) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            if (file.getEntry(entry) != null) {
                return true;
            }
            boolean unread = false;
            for (Enumeration<? extends ZipEntry> e = file.entries(); e.hasMoreElements(); ) {
                ZipEntry z = e.nextElement();
                if (z.getName().startsWith("lib/") && z.getName().endsWith(".jar") && z.getName().indexOf('/', 4) < 0) {
                    try (InputStream in = file.getInputStream(z)) {
                        if (jarHolds(in, entry)) {
                            return true;
                        }
                    } catch (IOException | RuntimeException cannotTell) {
                        unread = true;
                    }
                }
            }
            return unread;
        }
    }

    private static boolean jarHolds(InputStream jar, String entry) throws IOException {
        ZipInputStream in = new ZipInputStream(jar);
        for (ZipEntry z = in.getNextEntry(); z != null; z = in.getNextEntry()) {
            if (z.getName().equals(entry)) {
                return true;
            }
        }
        return false;
    }
}
