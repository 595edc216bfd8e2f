package dev.kinesisaggs.esm.runtime;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What Lambda reports of one invocation in its {@code REPORT} line: the invoke phase's duration, the
 * billed duration (since August 2025 the init phase of a cold start is billed too, rounded up to
 * the millisecond), the memory size, the most memory the environment has used, and for a cold start
 * the init duration; for a failed invocation the status and error type.
 *
 * @param environment which execution environment served it (1, 2, ... in the order they were started)
 */
public record InvocationReport(String requestId, int environment, Duration duration, int memorySizeMb,
                               OptionalInt maxMemoryUsedMb, Optional<Duration> initDuration,
                               Optional<String> status, Optional<String> errorType) {

    public boolean cold() {
        return initDuration.isPresent();
    }

    public long billedMillis() {
        double ms = millis(duration) + initDuration.map(InvocationReport::millis).orElse(0.0);
        return (long) Math.ceil(ms);
    }

    /** {@code START RequestId: ... Version: $LATEST} */
    static String startLine(String requestId, String version) {
        return "START RequestId: " + requestId + " Version: " + version;
    }

    /** {@code END RequestId: ...} */
    static String endLine(String requestId) {
        return "END RequestId: " + requestId;
    }

    /** The {@code REPORT} line, tab-separated as Lambda writes it. */
    public String toLine() {
        StringBuilder b = new StringBuilder("REPORT RequestId: ").append(requestId)
                .append("\tDuration: ").append(fmt(millis(duration))).append(" ms")
                .append("\tBilled Duration: ").append(billedMillis()).append(" ms")
                .append("\tMemory Size: ").append(memorySizeMb).append(" MB");
        maxMemoryUsedMb.ifPresent(mb -> b.append("\tMax Memory Used: ").append(mb).append(" MB"));
        initDuration.ifPresent(d -> b.append("\tInit Duration: ").append(fmt(millis(d))).append(" ms"));
        status.ifPresent(s -> b.append("\tStatus: ").append(s));
        errorType.ifPresent(t -> b.append("\tError Type: ").append(t));
        return b.append('\t').toString();
    }

    private static double millis(Duration d) {
        return d.toNanos() / 1e6;
    }

    private static String fmt(double ms) {
        return String.format(Locale.ROOT, "%.2f", ms);
    }
}
