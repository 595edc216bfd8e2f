package dev.kinesisaggs.localaws;

import java.nio.file.Path;

/** A complete installation of the emulators' npm packages. */
public record NodeInstallation(Path directory) {

    public Path nodeModules() {
        return directory.resolve("node_modules");
    }

    /** The script preloaded into each emulator so that it dies with the JVM and listens on loopback only. */
    public Path guardScript() {
        return directory.resolve(NodeModules.GUARD_SCRIPT);
    }

    /** The script preloaded into dynalite that serves PartiQL INSERTs, which dynalite lacks (the script says how). */
    public Path partiqlScript() {
        return directory.resolve(NodeModules.PARTIQL_SCRIPT);
    }

    /** A file of an installed package, e.g. {@code resolve("dynalite/cli.js")}. */
    public Path resolve(String pathInNodeModules) {
        return nodeModules().resolve(pathInNodeModules);
    }
}
