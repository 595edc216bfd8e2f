package dev.kinesisaggs.esm.invocation;

import java.time.Duration;

/** What happened when the function was invoked once: it returned, it threw, it ran out of time, or it was not run at all. */
public sealed interface InvocationResult {

    String requestId();

    Duration duration();

    /** The function returned; {@code responseJson} is null when it returned nothing. */
    record Returned(String requestId, Duration duration, String responseJson) implements InvocationResult {}

    /** The function threw: Lambda reports this as function error {@code Unhandled}. */
    record Threw(String requestId, Duration duration, String errorType, String errorMessage) implements InvocationResult {}

    /** The function ran past its timeout: a failed invocation, reported as {@code Unhandled} too. */
    record TimedOut(String requestId, Duration duration) implements InvocationResult {}

    /**
     * Lambda refused the invocation for want of concurrency ({@code TooManyRequestsException}, "Rate Exceeded"):
     * the function did not run, so the event source mapping retries without counting an attempt (spec §5.2).
     */
    record Throttled(String requestId, Duration duration) implements InvocationResult {}
}
