package io.testsync.server.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every test of {@link CheckpointTest}, unchanged, against three TestSync nodes on a Redis Cluster of three
 * Redis nodes (SPEC §11 "Past one Redis"): the tests' many test IDs spread over the slots of all three.
 */
class RedisClusterCheckpointTest extends CheckpointTest {
    // Same names as the superclass's: they hide them, so the cluster is set up before the harness starts.
    @BeforeAll
    static void start() throws Exception {
        Harness.nodes = 3;
        Harness.onRedisCluster = true;
        CheckpointTest.start();
    }

    @AfterAll
    static void stop() {
        try {
            CheckpointTest.stop();
        } finally {
            Harness.nodes = 1;
            Harness.onRedisCluster = false;
        }
    }
}
