package dev.kinesisaggs.app.pipeline;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The event source mapping logs at INFO every window it closes and a status line per shard every 10 s (through
 * SLF4J, to the JDK's logging behind it: see {@code Logging}). The commands print their own, shorter status,
 * so they keep only the mapping's warnings unless asked for more.
 */
public final class EngineLog implements AutoCloseable {
    // held here: java.util.logging keeps loggers only weakly, and a collected logger forgets its level
    private final Logger logger = Logger.getLogger("dev.kinesisaggs.esm");
    private final Level before;

    private EngineLog(Level level) {
        before = logger.getLevel();
        logger.setLevel(level);
    }

    /** Only warnings, unless {@code verbose}; {@link #close()} restores what was set before. */
    public static EngineLog warningsUnless(boolean verbose) {
        return new EngineLog(verbose ? Level.INFO : Level.WARNING);
    }

    /** Nothing at all: for a shutdown in which errors are expected. */
    public void silence() {
        logger.setLevel(Level.OFF);
    }

    @Override
    public void close() {
        logger.setLevel(before);
    }
}
