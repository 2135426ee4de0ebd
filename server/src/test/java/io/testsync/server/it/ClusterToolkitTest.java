package io.testsync.server.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Every test of {@link ToolkitTest}, unchanged, against three cluster nodes on one Redis (SPEC §11). */
class ClusterToolkitTest extends ToolkitTest {
    @BeforeAll
    static void threeNodes() {
        Harness.nodes = 3;
    }

    @AfterAll
    static void oneNode() {
        Harness.nodes = 1;
    }
}
