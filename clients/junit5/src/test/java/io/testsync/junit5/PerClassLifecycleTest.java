package io.testsync.junit5;

import io.testsync.client.TestSyncClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;

/** With one instance per class, the instance is made before beforeAll: the client must be there already. */
@TestSync(agent = "per-class")
@TestSyncServer
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PerClassLifecycleTest {
    private final TestSyncClient fromConstructor;
    TestSyncClient field;

    PerClassLifecycleTest(TestSyncClient client) {
        this.fromConstructor = client;
    }

    @Test
    void constructorFieldAndParameterGetTheSameConnectedClient(TestSyncClient parameter) {
        assertThat(fromConstructor).isNotNull().isSameAs(field).isSameAs(parameter);
        assertThat(fromConstructor.welcome().agent()).isEqualTo("per-class");
        assertThat(fromConstructor.counter("n", 1)).isEqualTo(1);
    }
}
