package dev.kinesisaggs.function.batch;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether an invocation is the cold start of its execution environment: the log line's {@code cold_start}.
 * As Powertools for AWS Lambda (Java) counts it (its {@code LambdaHandlerProcessor.isColdStart}), only the
 * first invocation of an environment that Lambda initialised on demand is one: an environment restored from
 * a SnapStart snapshot or kept warm by provisioned concurrency did its init before any request waited for
 * it. Outside Lambda (no {@code AWS_LAMBDA_INITIALIZATION_TYPE}) an environment counts as on demand, as the
 * local event source mapping starts them.
 */
public final class ColdStart {

    /** Lambda's variable, {@code on-demand}, {@code provisioned-concurrency} or {@code snap-start}. */
    public static final String INITIALIZATION_TYPE_VARIABLE = "AWS_LAMBDA_INITIALIZATION_TYPE";

    /**
     * The flag of this JVM, which is the execution environment: static, so that every handler instance of
     * the environment shares it and exactly one invocation reports the cold start.
     */
    private static final ColdStart THIS_ENVIRONMENT = forInitializationType(System.getenv(INITIALIZATION_TYPE_VARIABLE));

    private final AtomicBoolean pending;

    private ColdStart(boolean pending) {
        this.pending = new AtomicBoolean(pending);
    }

    /** The execution environment's own flag: what the Lambda handler uses. */
    public static ColdStart thisEnvironment() {
        return THIS_ENVIRONMENT;
    }

    /** A flag of its own for an environment initialised as {@code type} says (null or empty: on demand). */
    public static ColdStart forInitializationType(String type) {
        return new ColdStart(type == null || type.isEmpty() || "on-demand".equals(type));
    }

    /** Never a cold start: for a rehearsal, which must not use up the environment's. */
    public static ColdStart never() {
        return new ColdStart(false);
    }

    /** True for the first invocation that asks, if this environment has a cold start at all; then false. */
    boolean take() {
        // get() first: after the cold start, a plain read instead of a write per invocation
        return pending.get() && pending.getAndSet(false);
    }
}
