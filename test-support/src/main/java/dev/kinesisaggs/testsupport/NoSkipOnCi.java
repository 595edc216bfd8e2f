package dev.kinesisaggs.testsupport;

import java.util.Set;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * On CI a skipped test is a failure. Tests that need something a user's clone may lack (the workshop's data set
 * beside the repository, Chromium, Node) skip there and say why; on CI that would hide a test that never ran behind
 * a green build, so there the same skip fails, with its reason. Registered for every test class through JUnit's
 * extension auto-detection (the parent pom turns it on); CI is recognised as CI systems announce themselves, by a
 * {@code CI} environment variable that is set and not {@code false} ({@code .ci/run} sets it).
 */
public final class NoSkipOnCi implements TestExecutionExceptionHandler, LifecycleMethodExecutionExceptionHandler {
    /** Assumption failures of the libraries our tests use: JUnit's (opentest4j's) and, by name, AssertJ's others. */
    private static final Set<String> SKIPS = Set.of(
            "org.junit.AssumptionViolatedException", "org.junit.internal.AssumptionViolatedException");

    private final boolean onCi;

    /** As auto-detection creates it: on CI when the environment says so. */
    public NoSkipOnCi() {
        this(onCi(System.getenv("CI")));
    }

    public NoSkipOnCi(boolean onCi) {
        this.onCi = onCi;
    }

    static boolean onCi(String variable) {
        return variable != null && !variable.isBlank() && !variable.equalsIgnoreCase("false");
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw failIfSkip(throwable);
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw failIfSkip(throwable);
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable throwable) throws Throwable {
        throw failIfSkip(throwable);
    }

    private Throwable failIfSkip(Throwable throwable) {
        if (!onCi || !isSkip(throwable)) {
            return throwable;
        }
        AssertionError failure = new AssertionError("Skipped on CI, where every test must run: " + throwable.getMessage());
        failure.initCause(throwable);
        return failure;
    }

    private static boolean isSkip(Throwable throwable) {
        return throwable instanceof TestAbortedException || SKIPS.contains(throwable.getClass().getName());
    }
}
