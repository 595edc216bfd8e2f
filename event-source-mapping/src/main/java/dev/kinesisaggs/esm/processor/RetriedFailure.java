package dev.kinesisaggs.esm.processor;

import dev.kinesisaggs.esm.checkpoint.LeaseNotHeldException;
import org.slf4j.Logger;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * How the mapping logs a failure it retries: a call to AWS that failed on the way (an emulator restarting, the
 * network) or a checkpoint not saved while the lease is not held is one line; anything else keeps its stack trace,
 * since it may be a bug.
 */
public final class RetriedFailure {
    private RetriedFailure() {
    }

    public static void warn(Logger log, String what, RuntimeException e) {
        if (e instanceof SdkException || e instanceof LeaseNotHeldException) {
            log.warn("{}: {}", what, e.getMessage());
        } else {
            log.warn(what, e);
        }
    }
}
