package io.testsync.server.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Every test of {@link CheckpointTest}, unchanged, against three cluster nodes on one Redis (SPEC §11). */
class ClusterCheckpointTest extends CheckpointTest {
    // Same names as the superclass's: they hide them, so the cluster is set up before the harness starts.
    @BeforeAll
    static void start() throws Exception {
        Harness.nodes = 3;
        CheckpointTest.start();
    }

    @AfterAll
    static void stop() {
        try {
            CheckpointTest.stop();
        } finally {
            Harness.nodes = 1;
        }
    }
}
