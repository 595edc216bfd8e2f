package dev.kinesisaggs.esm.runtime;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Deleting a directory tree, best effort (what cannot be deleted now is left for the next start's cleanup). Another
 * process may be deleting the same tree at the same time (two mappings starting together both clean up what a killed
 * one left), so files vanishing under the walk are expected, not an error: the walk goes on past them.
 */
final class FileTrees {

    private FileTrees() {
    }

    static void deleteQuietly(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException gone) {
                    return FileVisitResult.CONTINUE; // deleted by someone else meanwhile, or not ours to read
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException listingFailed) {
                    deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // the root itself went meanwhile, or is not ours: left for later
        }
    }

    private static void deleteIfExists(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // left for later
        }
    }
}
