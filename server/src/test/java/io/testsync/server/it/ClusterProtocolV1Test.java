package io.testsync.server.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every test of {@link ProtocolV1Test} against three cluster nodes on one Redis (SPEC §11); connection
 * ids name the node and its incarnation, so they are unique over the cluster (SPEC §9.1).
 */
class ClusterProtocolV1Test extends ProtocolV1Test {
    @Override
    String connectionId() {
        return "node-[123]\\.[0-9a-z]+:c\\d+";
    }

    @BeforeAll
    static void threeNodes() {
        Harness.nodes = 3;
    }

    @AfterAll
    static void oneNode() {
        Harness.nodes = 1;
    }
}
