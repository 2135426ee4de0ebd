package io.testsync.junit5;

import io.testsync.client.Lock;
import io.testsync.client.Release;
import io.testsync.client.TestSyncClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a team writes: a test class that plays a synchronized scenario against a server the
 * extension starts in this JVM. The client arrives in a static field, an instance field and
 * parameters; more agents of the same run come from {@link TestSyncRun#connect}.
 */
@TestSync(agent = "host")
@TestSyncServer(releaseLeadMs = 100)
class ScenarioTest {
    static TestSyncClient shared;
    TestSyncClient ts;
    TestSyncRun run;

    @Test
    void theSameConnectedClientIsInjectedEverywhere(TestSyncClient parameter, TestSyncRun runParameter) {
        assertThat(shared).isNotNull().isSameAs(ts).isSameAs(parameter).isSameAs(run.client());
        assertThat(runParameter).isSameAs(run);
        assertThat(ts.isConnected()).isTrue();
        assertThat(ts.welcome().agent()).isEqualTo("host");
        assertThat(ts.welcome().run()).isEqualTo(run.runId()).isEqualTo("junit-io.testsync.junit5.ScenarioTest");
        assertThat(run.serverUri().toString()).startsWith("ws://127.0.0.1:");
        assertThat(run.httpUri().toString()).startsWith("http://127.0.0.1:");
    }

    @Test
    void threeAgentsShareDataMeetAtACheckpointAndTakeTurnsWithALock() throws Exception {
        TestSyncClient guest1 = run.connect("guest-1");
        TestSyncClient guest2 = run.connect("guest-2");
        ts.setData("{\"room\":\"r-1\"}");
        List<CompletableFuture<Release>> meeting = new ArrayList<>();
        for (TestSyncClient agent : List.of(ts, guest1, guest2)) {
            meeting.add(agent.checkpointAsync("logged-in", 3, Duration.ofSeconds(30)));
        }
        for (CompletableFuture<Release> r : meeting) assertThat(r.get(30, TimeUnit.SECONDS).joined()).isEqualTo(3);
        assertThat(guest2.data()).isEqualTo("{\"room\":\"r-1\"}");
        assertThat(List.of(ts.signalEntry("roles"), guest1.signalEntry("roles"), guest2.signalEntry("roles"))).containsExactly(1L, 2L, 3L);
        long fence;
        try (Lock l = guest1.lock("shared-account", Duration.ofSeconds(10))) {
            fence = l.fence();
        }
        try (Lock l = guest2.lock("shared-account", Duration.ofSeconds(10))) {
            assertThat(l.fence()).isGreaterThan(fence);
        }
    }

    @Nested
    class InANestedClass {
        TestSyncClient nested;

        @Test
        void theEnclosingClassesClientIsShared(TestSyncClient parameter) {
            assertThat(nested).isSameAs(shared).isSameAs(parameter);
            assertThat(nested.isConnected()).isTrue();
        }
    }
}
