package dev.kinesisaggs.esm.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Deleting a directory tree, best effort (what cannot be deleted now is left for the next start's cleanup). Another
 * process may be deleting the same tree at the same time (two mappings starting together both clean up what a killed
 * one left), so files vanishing under the walk are expected, not an error.
 */
final class FileTrees {

    private FileTrees() {
    }

    static void deleteQuietly(Path root) {
        // a walk that met a file deleted under it stops there: walk again what is left
        for (int walk = 0; walk < 3 && root != null && Files.exists(root); walk++) {
            deleteWalking(root);
        }
    }

    private static void deleteWalking(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // left for later
                }
            });
        } catch (IOException | UncheckedIOException ignored) {
            // left for later, or deleted by someone else meanwhile (the walk met a file that is gone)
        }
    }
}
