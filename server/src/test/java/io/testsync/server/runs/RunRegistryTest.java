package io.testsync.server.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.testsync.server.runs.Attach.Attached;
import io.testsync.server.runs.Attach.Refused;
import org.junit.jupiter.api.Test;

/** Attaching, counting, limits and the lifecycle of runs (SPEC §3 get_connection_count, §7, §8 retention). */
class RunRegistryTest {

    static final long START = 1_700_000_000_000L;

    final FakeScheduler scheduler = new FakeScheduler(START);

    RunRegistry registry(int maxRuns, int maxPerRun, int maxConnections) {
        return new RunRegistry(scheduler, new RunRegistry.Settings(500, 600_000, maxRuns, maxPerRun, maxConnections, 10));
    }

    static RecordingMember member(String id) {
        return new RecordingMember(id);
    }

    @Test
    void attachCountsAtOnceAndDetachStopsCountingAtOnce() {
        RunRegistry registry = registry(10, 10, 10);
        RecordingMember a = member("a");
        RecordingMember b = member("b");
        Run run = ((Attached) registry.attach("42", a)).run();
        assertThat(run.testId()).isEqualTo("42");
        assertThat(run.connectionCount()).isEqualTo(1);

        assertThat(registry.attach("42", b)).isEqualTo(new Attached(run));
        assertThat(run.connectionCount()).isEqualTo(2);
        assertThat(registry.connectionCount()).isEqualTo(2);
        assertThat(registry.find("42")).isSameAs(run);

        registry.detach(run, a);
        assertThat(run.connectionCount()).isEqualTo(1);
        assertThat(registry.connectionCount()).isEqualTo(1);
        registry.detach(run, a);    // a second detach of the same connection changes nothing
        assertThat(run.connectionCount()).isEqualTo(1);
        assertThat(registry.connectionCount()).isEqualTo(1);
    }

    @Test
    void attachingTheSameMemberTwiceCountsOnce() {
        RunRegistry registry = registry(10, 10, 10);
        RecordingMember a = member("a");
        Run run = ((Attached) registry.attach("42", a)).run();
        assertThat(registry.attach("42", a)).isEqualTo(new Attached(run));
        assertThat(run.connectionCount()).isEqualTo(1);
        assertThat(registry.connectionCount()).isEqualTo(1);
    }

    @Test
    void countsAreKeptPerRun() {
        RunRegistry registry = registry(10, 10, 10);
        Run one = ((Attached) registry.attach("1", member("a"))).run();
        Run two = ((Attached) registry.attach("2", member("b"))).run();
        registry.attach("2", member("c"));
        assertThat(one.connectionCount()).isEqualTo(1);
        assertThat(two.connectionCount()).isEqualTo(2);
        assertThat(registry.connectionCount()).isEqualTo(3);
        assertThat(registry.runCount()).isEqualTo(2);
    }

    @Test
    void aRunWithMaxConnectionsPerRunRefusesTheNextAttach() {
        RunRegistry registry = registry(10, 2, 10);
        RecordingMember a = member("a");
        Run run = ((Attached) registry.attach("42", a)).run();
        registry.attach("42", member("b"));

        assertThat(registry.attach("42", member("c"))).isEqualTo(new Refused("limits.max_connections_per_run", 2));
        assertThat(run.connectionCount()).isEqualTo(2);
        assertThat(registry.connectionCount()).isEqualTo(2);
        // Other runs are not affected, and a freed place can be taken again.
        assertThat(registry.attach("43", member("d"))).isInstanceOf(Attached.class);
        registry.detach(run, a);
        assertThat(registry.attach("42", member("c"))).isEqualTo(new Attached(run));
    }

    @Test
    void theServerWithMaxConnectionsRefusesTheNextAttachInAnyRun() {
        RunRegistry registry = registry(10, 10, 2);
        Run run = ((Attached) registry.attach("1", member("a"))).run();
        RecordingMember b = member("b");
        registry.attach("2", b);

        assertThat(registry.attach("1", member("c"))).isEqualTo(new Refused("limits.max_connections", 2));
        assertThat(registry.attach("3", member("c"))).isEqualTo(new Refused("limits.max_connections", 2));
        assertThat(registry.runCount()).isEqualTo(2);   // no run created for a refused attach
        assertThat(registry.find("3")).isNull();
        assertThat(run.connectionCount()).isEqualTo(1);

        registry.detach(registry.find("2"), b);
        assertThat(registry.attach("3", member("c"))).isInstanceOf(Attached.class);
    }

    @Test
    void creatingARunBeyondMaxRunsIsRefusedButExistingRunsStillAttach() {
        RunRegistry registry = registry(2, 10, 10);
        RecordingMember a = member("a");
        Run one = ((Attached) registry.attach("1", a)).run();
        registry.attach("2", member("b"));

        assertThat(registry.attach("3", member("c"))).isEqualTo(new Refused("limits.max_runs", 2));
        assertThat(registry.find("3")).isNull();
        assertThat(registry.connectionCount()).isEqualTo(2);
        RecordingMember d = member("d");
        assertThat(registry.attach("1", d)).isEqualTo(new Attached(one));

        registry.detach(one, a);
        registry.detach(one, d);
        assertThat(registry.find("1")).isNull();
        assertThat(registry.attach("3", member("c"))).isInstanceOf(Attached.class);
    }

    @Test
    void aRunWithoutMembersOrCheckpointsIsRemovedAtTheLastDetach() {
        RunRegistry registry = registry(10, 10, 10);
        RecordingMember a = member("a");
        RecordingMember b = member("b");
        Run run = ((Attached) registry.attach("42", a)).run();
        registry.attach("42", b);
        run.join(a, new CheckpointJoin("login", 3, 1000L), null);      // incomplete: removed with its last member

        registry.detach(run, a);
        assertThat(registry.find("42")).isSameAs(run);
        registry.detach(run, b);

        assertThat(registry.find("42")).isNull();
        assertThat(registry.runCount()).isZero();
        assertThat(registry.connectionCount()).isZero();
        assertThat(registry.waitingCheckpoints()).isZero();
        assertThat(scheduler.pending()).isEmpty();
    }

    @Test
    void anAttachAfterRemovalGetsAFreshRunThatCounts() {
        RunRegistry registry = registry(1, 10, 10);
        RecordingMember a = member("a");
        Run old = ((Attached) registry.attach("42", a)).run();
        registry.detach(old, a);

        RecordingMember b = member("b");
        Run fresh = ((Attached) registry.attach("42", b)).run();
        assertThat(fresh).isNotSameAs(old);
        assertThat(registry.find("42")).isSameAs(fresh);
        assertThat(fresh.connectionCount()).isEqualTo(1);
        assertThat(old.connectionCount()).isZero();
        assertThat(registry.runCount()).isEqualTo(1);   // maxRuns 1: the removed run freed its slot
    }

    @Test
    void aRunWithOnlyCompletedCheckpointsStaysUntilItHasBeenIdleLongEnough() {
        RunRegistry registry = registry(10, 10, 10);
        RecordingMember a = member("a");
        Run run = ((Attached) registry.attach("42", a)).run();
        run.join(a, new CheckpointJoin("login", 1, null), null);
        scheduler.advance(100);
        registry.detach(run, a);                    // last activity at START + 100

        assertThat(registry.find("42")).isSameAs(run);
        scheduler.advance(999);
        assertThat(registry.removeIdle(1000)).isEmpty();
        assertThat(registry.find("42")).isSameAs(run);

        scheduler.advance(1);
        assertThat(registry.removeIdle(1000)).containsExactly("42");
        assertThat(registry.find("42")).isNull();
        assertThat(registry.runCount()).isZero();
        assertThat(registry.removeIdle(0)).isEmpty();
    }

    @Test
    void aRunWithMembersIsNeverRemovedAsIdle() {
        RunRegistry registry = registry(10, 10, 10);
        RecordingMember a = member("a");
        Run run = ((Attached) registry.attach("42", a)).run();
        scheduler.advance(10_000_000);
        assertThat(registry.removeIdle(1)).isEmpty();
        assertThat(registry.find("42")).isSameAs(run);
        assertThat(run.join(a, new CheckpointJoin("later", 1, null), null)).isEqualTo(JoinOutcome.RELEASED);
    }

    @Test
    void aJoinCountsAsActivityForRetention() {
        RunRegistry registry = registry(10, 10, 10);
        RecordingMember a = member("a");
        RecordingMember b = member("b");
        Run run = ((Attached) registry.attach("42", a)).run();
        registry.attach("42", b);
        run.join(a, new CheckpointJoin("one", 1, null), null);
        registry.detach(run, a);
        scheduler.advance(500);
        run.join(b, new CheckpointJoin("two", 1, null), null);          // last activity moves to START + 500...
        scheduler.advance(500);
        registry.detach(run, b);                     // ...and then to START + 1000
        scheduler.advance(999);
        assertThat(registry.removeIdle(1000)).isEmpty();
        scheduler.advance(1);
        assertThat(registry.removeIdle(1000)).containsExactly("42");
    }

    @Test
    void removeIdleSparesRunsThatKeepAccepts() {
        RunRegistry registry = registry(10, 10, 10);
        for (String id : new String[] {"read-over-http", "forgotten"}) {
            RecordingMember m = member(id);
            Run run = ((Attached) registry.attach(id, m)).run();
            run.join(m, new CheckpointJoin("done", 1, null), null);      // a completed checkpoint keeps the run held
            registry.detach(run, m);
        }
        scheduler.advance(1000);
        assertThat(registry.removeIdle(1000, id -> id.equals("read-over-http"))).containsExactly("forgotten");
        assertThat(registry.find("read-over-http")).isNotNull();
        assertThat(registry.find("forgotten")).isNull();
    }

    @Test
    void activeSinceIsTrueWithAMemberOrRecentActivityAndFalseForRunsNotHeld() {
        RunRegistry registry = registry(10, 10, 10);
        RecordingMember a = member("a");
        Run run = ((Attached) registry.attach("42", a)).run();
        run.join(a, new CheckpointJoin("done", 1, null), null);
        scheduler.advance(10_000);
        assertThat(registry.activeSince("42", START + 5_000)).as("a live member").isTrue();
        registry.detach(run, a);                     // activity at START + 10000
        assertThat(registry.activeSince("42", START + 10_000)).isTrue();
        assertThat(registry.activeSince("42", START + 10_001)).isFalse();
        assertThat(registry.activeSince("never-held", 0)).isFalse();
        registry.removeIdle(0);
        assertThat(registry.activeSince("42", 0)).as("removed").isFalse();
    }

    @Test
    void releasesAreCountedOncePerCheckpointByReason() {
        RunRegistry registry = registry(10, 10, 10);
        RecordingMember a = member("a");
        RecordingMember b = member("b");
        Run run = ((Attached) registry.attach("42", a)).run();
        registry.attach("42", b);
        run.join(a, new CheckpointJoin("both", 2, null), null);
        run.join(b, new CheckpointJoin("both", 2, null), null);          // completes: one release decision for two members
        run.join(a, new CheckpointJoin("both", 2, null), null);          // a late join is answered, not a new release
        run.join(a, new CheckpointJoin("alone", 2, 100L), null);
        scheduler.advance(100);                      // its deadline passes
        assertThat(registry.completedReleases()).isEqualTo(1);
        assertThat(registry.timedOutReleases()).isEqualTo(1);
    }

    @Test
    void anAttachAfterIdleRemovalGetsAFreshRunWithoutTheOldCheckpoints() {
        RunRegistry registry = registry(10, 10, 10);
        RecordingMember a = member("a");
        Run old = ((Attached) registry.attach("42", a)).run();
        old.join(a, new CheckpointJoin("login", 1, null), null);
        registry.detach(old, a);
        scheduler.advance(10);
        registry.removeIdle(10);

        RecordingMember b = member("b");
        Run fresh = ((Attached) registry.attach("42", b)).run();
        assertThat(fresh).isNotSameAs(old);
        assertThat(fresh.join(b, new CheckpointJoin("login", 2, null), null)).isEqualTo(JoinOutcome.WAITING);
        assertThat(b.received()).isEmpty();
    }

    @Test
    void settingsAreValidatedWithMessagesThatNameTheValue() {
        assertThatThrownBy(() -> new RunRegistry.Settings(-1, 0, 1, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("releaseLeadMs must not be negative, was -1");
        assertThatThrownBy(() -> new RunRegistry.Settings(0, -5, 1, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("defaultTimeoutMs");
        assertThatThrownBy(() -> new RunRegistry.Settings(0, 0, 0, 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxRuns must be at least 1, was 0");
        assertThatThrownBy(() -> new RunRegistry.Settings(0, 0, 1, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConnectionsPerRun");
        assertThatThrownBy(() -> new RunRegistry.Settings(0, 0, 1, 1, 0, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> new RunRegistry.Settings(0, 0, 1, 1, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxCheckpointsPerRun");
    }
}
