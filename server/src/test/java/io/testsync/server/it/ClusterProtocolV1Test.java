package io.testsync.server.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Every test of {@link ProtocolV1Test}, unchanged, against three cluster nodes on one Redis (SPEC §11). */
class ClusterProtocolV1Test extends ProtocolV1Test {
    @BeforeAll
    static void threeNodes() {
        Harness.nodes = 3;
    }

    @AfterAll
    static void oneNode() {
        Harness.nodes = 1;
    }
}
