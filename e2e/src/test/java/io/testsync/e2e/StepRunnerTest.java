package io.testsync.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StepRunnerTest {

    private static final Duration STEP = Duration.ofSeconds(5);

    @Test
    void countsThePassedSteps() throws Exception {
        try (StepRunner steps = new StepRunner()) {
            steps.step("one", STEP, d -> { });
            steps.step("two", STEP, d -> { });
            assertThat(steps.passed()).isEqualTo(2);
        }
    }

    @Test
    void aFailureCarriesTheStepNameAndItsMessageAsIs() {
        try (StepRunner steps = new StepRunner()) {
            assertThatThrownBy(() -> steps.step("get", STEP, d -> {
                throw StepFailure.expected("HTTP 200", "HTTP 404");
            })).isInstanceOfSatisfying(StepRunner.Failed.class, f -> {
                assertThat(f.step()).isEqualTo("get");
                assertThat(f.getMessage()).isEqualTo("expected HTTP 200, got HTTP 404");
            });
            assertThat(steps.passed()).isZero();
        }
    }

    @Test
    void anUnexpectedExceptionIsDescribedWithoutAStackTrace() {
        try (StepRunner steps = new StepRunner()) {
            assertThatThrownBy(() -> steps.step("post", STEP, d -> {
                throw new IllegalStateException("boom");
            })).isInstanceOf(StepRunner.Failed.class)
                    .hasMessage("unexpected error: IllegalStateException: boom");
        }
    }

    @Test
    void aStepThatIgnoresItsDeadlineIsStoppedByTheRunner() {
        CountDownLatch never = new CountDownLatch(1);
        try (StepRunner steps = new StepRunner(Duration.ofMillis(50))) {
            assertThatThrownBy(() -> steps.step("hang", Duration.ofMillis(100), d -> never.await()))
                    .isInstanceOfSatisfying(StepRunner.Failed.class, f -> {
                        assertThat(f.step()).isEqualTo("hang");
                        assertThat(f.getMessage()).isEqualTo("no result within 100 ms");
                    });
        }
    }
}
