package io.testsync.junit5;

import io.testsync.client.TestSyncClient;
import io.testsync.client.TestSyncException;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** Runs small test classes through the JUnit engine and looks at what the extension did around them. */
class LifecycleTest {
    static final AtomicReference<TestSyncRun> seen = new AtomicReference<>();

    @TestSync(agent = "sample")
    @TestSyncServer
    static class Sample {
        @Test
        void uses(TestSyncRun run) {
            seen.set(run);
            assertThat(run.client().counter("n", 1)).isEqualTo(1);
            run.connect("second");
        }
    }

    @TestSync
    static class NoRunId {
        @Test
        void never() {
        }
    }

    @TestSync(runId = "r", url = "ws://127.0.0.1:1")
    static class NobodyListening {
        @Test
        void never() {
        }
    }

    private static EngineExecutionResults run(Class<?> c) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(c)).execute();
    }

    private static Throwable containerFailure(EngineExecutionResults results) {
        return results.containerEvents().failed().stream().findFirst()
                .flatMap(e -> e.getPayload(TestExecutionResult.class)).flatMap(TestExecutionResult::getThrowable)
                .orElseThrow(() -> new AssertionError("no container failed"));
    }

    @Test
    void afterTheClassEveryClientIsClosedAndTheServerStopped() {
        EngineExecutionResults results = run(Sample.class);
        results.testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        TestSyncRun run = seen.get();
        assertThat(run.client().isConnected()).isFalse();
        TestSyncException e = catchThrowableOfType(TestSyncException.class,
                () -> TestSyncClient.connect(run.serverUri(), "again", run.options()));
        assertThat(e.code()).isEqualTo(TestSyncException.CONNECT_FAILED);
    }

    @Test
    void withoutARunIdTheClassFailsSayingWhatToSet() {
        assumeThat(System.getenv("TESTSYNC_RUN_ID")).as("TESTSYNC_RUN_ID is set in this environment").isNull();
        Throwable t = containerFailure(run(NoRunId.class));
        assertThat(t).isInstanceOf(org.junit.jupiter.api.extension.ExtensionConfigurationException.class)
                .hasMessage("@TestSync on " + NoRunId.class.getName() + ": no run ID: set TESTSYNC_RUN_ID (the same for"
                        + " every agent of the run) or @TestSync(runId = \"...\")");
    }

    @Test
    void aServerThatIsNotThereFailsTheClassNamingTheUrlAndWhereItCameFrom() {
        assumeThat(System.getenv("TESTSYNC_URL")).as("TESTSYNC_URL is set in this environment").isNull();
        Throwable t = containerFailure(run(NobodyListening.class));
        assertThat(t.getMessage()).startsWith("@TestSync on " + NobodyListening.class.getName()
                + " could not connect to ws://127.0.0.1:1 (URL from @TestSync(url)) as run r: cannot connect to");
        assertThat(t.getCause()).isInstanceOf(TestSyncException.class);
    }
}
