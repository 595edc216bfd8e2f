package dev.kinesisaggs.esm.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Makes the runtime archive for the jars in a directory (args[0], in name order) and prints its path, or "none". */
public final class MakeRuntimeArchiveMain {

    private MakeRuntimeArchiveMain() {
    }

    public static void main(String[] args) throws Exception {
        List<Path> jars;
        try (Stream<Path> files = Files.list(Path.of(args[0]))) {
            jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        }
        System.out.println(RuntimeArchive.forRuntime(Path.of(System.getProperty("java.home")), jars).map(Path::toString).orElse("none"));
    }
}
