package io.testsync.server.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every test of {@link LivePageTest} against three cluster nodes (SPEC §10, §11): the page's stream is
 * opened on node 1 and carries changes of runs whose agents the harness connects to any node.
 */
class ClusterAdminLivePageTest extends LivePageTest {
    @BeforeAll
    static void start() throws Exception {
        Harness.nodes = 3;
        LivePageTest.start();
    }

    @AfterAll
    static void stop() {
        try {
            LivePageTest.stop();
        } finally {
            Harness.nodes = 1;
        }
    }
}
