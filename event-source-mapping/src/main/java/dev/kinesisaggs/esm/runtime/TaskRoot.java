package dev.kinesisaggs.esm.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipInputStream;

/**
 * A function's code laid out as Lambda lays it out in {@code /var/task}: the deployment package
 * (a .jar or .zip) unpacked, classes at the root and any {@code lib/*.jar} beside them, which the
 * runtime client's own class loader reads from its working directory. Unpacked into a working
 * directory of this process ({@code esm-lambda-<pid>-...} in the temporary directory), deleted on
 * {@link #close}; directories left by processes that are gone are deleted at the next start.
 * A directory given as the artifact is used as it is.
 */
final class TaskRoot implements AutoCloseable {

    private static final String PREFIX = "esm-lambda-";

    private final Path workDirectory;
    private final Path taskRoot;

    private TaskRoot(Path workDirectory, Path taskRoot) {
        this.workDirectory = workDirectory;
        this.taskRoot = taskRoot;
    }

    static TaskRoot unpack(Path artifact) {
        if (!Files.exists(artifact)) {
            throw new IllegalArgumentException("The function artifact " + artifact + " does not exist: build it, or name another one.");
        }
        deleteLeftovers();
        try {
            Path work = Files.createTempDirectory(PREFIX + ProcessHandle.current().pid() + "-");
            if (Files.isDirectory(artifact)) {
                return new TaskRoot(work, artifact.toAbsolutePath());
            }
            Path task = Files.createDirectory(work.resolve("task"));
            try {
                unzip(artifact, task);
            } catch (IOException | RuntimeException e) {
                FileTrees.deleteQuietly(work);
                throw e;
            }
            return new TaskRoot(work, task);
        } catch (ZipException e) {
            throw new IllegalArgumentException("The function artifact " + artifact + " is not a .jar or .zip file ("
                    + e.getMessage() + "): give the deployment package Lambda would get.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot unpack " + artifact, e);
        }
    }

    /** The task root: the runtime's working directory and {@code LAMBDA_TASK_ROOT}. */
    Path path() {
        return taskRoot;
    }

    /** A directory of this mapping's own, for files beside the code (the guard agent). */
    Path workDirectory() {
        return workDirectory;
    }

    @Override
    public void close() {
        FileTrees.deleteQuietly(workDirectory);
    }

    private static void unzip(Path archive, Path into) throws IOException {
        boolean any = false;
        try (InputStream file = Files.newInputStream(archive); ZipInputStream zip = new ZipInputStream(file)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                any = true;
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IllegalArgumentException("The function artifact " + archive + " has an entry outside its root ("
                            + e.getName() + "): Lambda would refuse it too.");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(zip, target);
                }
            }
        }
        if (!any) {
            throw new ZipException("no entries");
        }
    }

    /** Working directories of processes that are gone (killed before they could delete theirs). */
    private static void deleteLeftovers() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path dir : dirs) {
                String rest = dir.getFileName().toString().substring(PREFIX.length());
                int dash = rest.indexOf('-');
                try {
                    long pid = Long.parseLong(dash < 0 ? rest : rest.substring(0, dash));
                    if (ProcessHandle.of(pid).isEmpty()) {
                        FileTrees.deleteQuietly(dir);
                    }
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            }
        } catch (IOException ignored) {
            // nothing to clean, or not allowed to look: not worth failing the start for
        }
    }
}
