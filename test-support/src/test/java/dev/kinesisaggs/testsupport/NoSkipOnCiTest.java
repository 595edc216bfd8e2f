package dev.kinesisaggs.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

class NoSkipOnCiTest {

    @Test
    void onCiATestThatSkipsFailsWithTheReasonItGave() {
        Events tests = run(SkipsInTheTestOnCi.class).testEvents();

        tests.assertStatistics(s -> s.started(2).succeeded(1).failed(1).aborted(0));
        assertThat(tests.failed().list().get(0).getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .isInstanceOf(AssertionError.class)
                .hasMessage("Skipped on CI, where every test must run: Assumption failed: Chromium is not installed");
    }

    @Test
    void onCiAClassWhoseSetUpSkipsFailsEachOfItsTests() {
        run(SkipsInBeforeAllOnCi.class).testEvents().assertStatistics(s -> s.failed(0).aborted(0).skipped(0));
        run(SkipsInBeforeAllOnCi.class).containerEvents().assertStatistics(s -> s.failed(1).aborted(0));
    }

    @Test
    void elsewhereASkipStaysASkip() {
        run(SkipsInTheTestElsewhere.class).testEvents().assertStatistics(s -> s.started(2).succeeded(1).aborted(1).failed(0));
    }

    @Test
    void ciIsRecognisedAsCiSystemsSetIt() {
        assertThat(NoSkipOnCi.onCi("true")).isTrue();
        assertThat(NoSkipOnCi.onCi("1")).isTrue();
        assertThat(NoSkipOnCi.onCi(null)).isFalse();
        assertThat(NoSkipOnCi.onCi("")).isFalse();
        assertThat(NoSkipOnCi.onCi("false")).isFalse();
    }

    /** A sample class run with its own instance of the extension, not the one auto-detection gives this module. */
    private static EngineExecutionResults run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter")
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "false")
                .selectors(selectClass(sample))
                .execute();
    }

    static class SkipsInTheTestOnCi {
        @RegisterExtension
        static final NoSkipOnCi EXTENSION = new NoSkipOnCi(true);

        @Test
        void runs() {
        }

        @Test
        void skips() {
            Assumptions.assumeTrue(false, "Chromium is not installed");
        }
    }

    static class SkipsInTheTestElsewhere {
        @RegisterExtension
        static final NoSkipOnCi EXTENSION = new NoSkipOnCi(false);

        @Test
        void runs() {
        }

        @Test
        void skips() {
            Assumptions.assumeTrue(false, "Chromium is not installed");
        }
    }

    @Test
    void onCiAnAssertJAssumptionFailsToo() {
        run(SkipsWithAssertJOnCi.class).testEvents().assertStatistics(s -> s.failed(1).aborted(0));
    }

    static class SkipsWithAssertJOnCi {
        @RegisterExtension
        static final NoSkipOnCi EXTENSION = new NoSkipOnCi(true);

        @Test
        void skips() {
            org.assertj.core.api.Assumptions.assumeThat(false).as("the data set is not there").isTrue();
        }
    }

    static class SkipsInBeforeAllOnCi {
        @RegisterExtension
        static final NoSkipOnCi EXTENSION = new NoSkipOnCi(true);

        @BeforeAll
        static void needsTheDataSet() {
            Assumptions.assumeTrue(false, "the data set is not there");
        }

        @Test
        void runs() {
        }
    }
}
