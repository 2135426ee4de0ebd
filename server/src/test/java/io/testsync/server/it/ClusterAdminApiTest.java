package io.testsync.server.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every test of {@link AdminApiTest}, unchanged, against three cluster nodes on one Redis (SPEC §10, §11):
 * the API is asked on node 1 while the harness spreads the agents over all three.
 */
class ClusterAdminApiTest extends AdminApiTest {
    @BeforeAll
    static void start() throws Exception {
        Harness.nodes = 3;
        AdminApiTest.start();
    }

    @AfterAll
    static void stop() {
        try {
            AdminApiTest.stop();
        } finally {
            Harness.nodes = 1;
        }
    }
}
