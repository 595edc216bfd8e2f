package dev.kinesisaggs.esm.processor;

import org.slf4j.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * How the mapping logs a failure it retries: a call to AWS that failed on the way (an emulator restarting, the
 * network) is one line; anything else keeps its stack trace, since it may be a bug.
 */
public final class RetriedFailure {
    private RetriedFailure() {
    }

    public static void warn(Logger log, String what, RuntimeException e) {
        if (e instanceof SdkException) {
            log.warn("{}: {}", what, e.getMessage());
        } else {
            log.warn(what, e);
        }
    }
}
