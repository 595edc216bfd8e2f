package dev.kinesisaggs.esm.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Deleting a directory tree, best effort (what cannot be deleted now is left for the next start's cleanup). */
final class FileTrees {

    private FileTrees() {
    }

    static void deleteQuietly(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // left for later
                }
            });
        } catch (IOException ignored) {
            // left for later
        }
    }
}
