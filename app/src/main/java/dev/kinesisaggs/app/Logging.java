package dev.kinesisaggs.app;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The command line's one logging stack: the mapping, the dashboard and the AWS SDK log through SLF4J's API, and
 * SLF4J's JDK backend hands everything to the JDK's logging, set up here: one line per message on standard error,
 * and only what is wrong, since the commands talk to the user through their own output ({@code EngineLog} lets the
 * mapping say more with {@code --verbose}).
 */
public final class Logging {
    // held here: java.util.logging keeps loggers only weakly, and a collected logger forgets its level
    private static final Logger ROOT = Logger.getLogger("");

    private Logging() {
    }

    /** Before anything logs: the format is read when the console handler is first made. */
    public static void configure() {
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$s %3$s: %5$s%6$s%n");
        ROOT.setLevel(Level.WARNING);
    }
}
