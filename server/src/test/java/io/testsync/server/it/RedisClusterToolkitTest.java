package io.testsync.server.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every test of {@link ToolkitTest}, unchanged, against three TestSync nodes on a Redis Cluster of three
 * Redis nodes (SPEC §11 "Past one Redis"): the tests' many test IDs spread over the slots of all three.
 */
class RedisClusterToolkitTest extends ToolkitTest {
    @BeforeAll
    static void threeNodesOnARedisCluster() {
        Harness.nodes = 3;
        Harness.onRedisCluster = true;
    }

    @AfterAll
    static void oneNode() {
        Harness.nodes = 1;
        Harness.onRedisCluster = false;
    }
}
