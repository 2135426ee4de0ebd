package io.testsync.bench.scenario;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LockTurnsTest {
    private final LockTurns turns = new LockTurns("bench", 30_000);

    private static String grant(long id, long fence) {
        return "{\"command\":\"lock\",\"id\":" + id + ",\"content\":{\"name\":\"bench\",\"acquired\":true,\"fence\":" + fence + "}}";
    }

    @Test
    void framesNameTheLockAndTheWait() {
        assertThat(turns.lockFrame(3)).isEqualTo("{\"command\":\"lock\",\"id\":3,\"content\":{\"name\":\"bench\",\"timeout_ms\":30000}}");
        assertThat(turns.unlockFrame(3)).isEqualTo("{\"command\":\"unlock\",\"id\":3,\"content\":{\"name\":\"bench\"}}");
    }

    @Test
    void grantsTakenInTurnWithGrowingFencesPass() {
        assertThat(turns.granted(grant(1, 1), 1)).isTrue();
        turns.releasing();
        assertThat(turns.released("{\"command\":\"unlock\",\"id\":1,\"content\":{\"name\":\"bench\",\"released\":true}}", 1)).isTrue();
        assertThat(turns.granted(grant(1, 3), 1)).isTrue(); // the other agent's first; fences may skip
        turns.releasing();
        assertThat(turns.grants()).isEqualTo(2);
        assertThat(turns.lastFence()).isEqualTo(3);
    }

    @Test
    void aFenceThatDoesNotGrowIsWrong() {
        assertThat(turns.granted(grant(1, 5), 1)).isTrue();
        turns.releasing();
        assertThat(turns.granted(grant(2, 5), 2)).isFalse();
        assertThat(turns.granted(grant(2, 4), 2)).isFalse();
        assertThat(turns.granted(grant(2, 6), 2)).as("the lock is free again after the refused grants").isTrue();
        assertThat(turns.grants()).isEqualTo(2);
    }

    @Test
    void aGrantWhileAnotherHoldsIsWrong() {
        assertThat(turns.granted(grant(1, 1), 1)).isTrue();
        assertThat(turns.granted(grant(1, 2), 1)).isFalse();
        turns.releasing();
        assertThat(turns.granted(grant(1, 3), 1)).isTrue();
    }

    @Test
    void otherFramesAreNeitherGrantNorRelease() {
        assertThat(turns.granted(grant(2, 1), 1)).as("another id").isFalse();
        assertThat(turns.granted("{\"command\":\"lock\",\"id\":1,\"content\":{\"name\":\"bench\",\"acquired\":false,\"reason\":\"timeout\"}}", 1)).isFalse();
        assertThat(turns.granted("{\"command\":\"lock\",\"id\":1,\"content\":{\"name\":\"bench\",\"acquired\":true,\"fence\":x}}", 1)).isFalse();
        assertThat(turns.released("{\"command\":\"unlock\",\"id\":2,\"content\":{\"name\":\"bench\",\"released\":true}}", 1)).isFalse();
        assertThat(turns.released("{\"command\":\"error\",\"id\":1,\"content\":{\"code\":\"invalid_argument\",\"command\":\"unlock\",\"error\":\"x\"}}", 1)).isFalse();
        assertThat(turns.grants()).isZero();
    }
}
