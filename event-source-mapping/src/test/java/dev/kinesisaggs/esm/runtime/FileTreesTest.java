package dev.kinesisaggs.esm.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two mappings that start together both delete what a killed one left: neither may fail because the other got to a
 * file first (a chaos run's restarted mapping did, before).
 */
class FileTreesTest {

    @TempDir
    Path tmp;

    @Test
    void twoDeletingTheSameTreeAtOnceBothReturnAndTheTreeIsGone() throws Exception {
        ExecutorService two = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                Path tree = tree(tmp.resolve("left-" + round));
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<?>> deleters = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    deleters.add(two.submit(() -> {
                        together.await();
                        FileTrees.deleteQuietly(tree);
                        return null;
                    }));
                }
                for (Future<?> f : deleters) {
                    f.get(); // throws if a deleter failed
                }
                assertThat(tree).doesNotExist();
            }
        } finally {
            two.shutdownNow();
        }
    }

    /** A task root's shape: many small files in nested directories. */
    private static Path tree(Path root) throws IOException {
        for (int d = 0; d < 10; d++) {
            Path dir = Files.createDirectories(root.resolve("p" + d).resolve("q"));
            for (int f = 0; f < 40; f++) {
                Files.writeString(dir.resolve("C" + f + ".class"), "x");
            }
        }
        return root;
    }
}
