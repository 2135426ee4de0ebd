package io.testsync.client;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** setData, data, dataBytes and connectionCount against the real server. */
class DataTest {
    static ServerFixture fx;

    @BeforeAll
    static void start() throws Exception {
        fx = ServerFixture.start();
    }

    @AfterAll
    static void stop() {
        fx.close();
    }

    @Test
    void dataIsReadBackByteForByte() {
        String run = ServerFixture.newRun();
        TestSyncClient a = fx.connect(run, "a");
        TestSyncClient b = fx.connect(run, "b");
        String json = "{\"room\": \"r-1\",  \"users\":[\"alice\", \"b\\u00f6b\"], \"n\":2.50}";
        a.setData(json);
        assertThat(b.data()).isEqualTo(json);
        assertThat(b.dataBytes()).isEqualTo(json.getBytes(StandardCharsets.UTF_8));
        a.setData("\"just a string\"");
        assertThat(b.data()).isEqualTo("\"just a string\"");
    }

    @Test
    void aRunWithoutDataReadsNull() {
        TestSyncClient a = fx.connect(ServerFixture.newRun(), "a");
        assertThat(a.data()).isNull();
        assertThat(a.dataBytes()).isNull();
    }

    @Test
    void dataStoredOverHttpThatIsNotJsonComesBackAsItsBytes() throws Exception {
        String run = ServerFixture.newRun();
        assertThat(fx.httpPut(run, "plain text \u00e9", "text/plain").statusCode()).isEqualTo(200);
        TestSyncClient a = fx.connect(run, "a");
        assertThat(a.dataBytes()).isEqualTo("plain text \u00e9".getBytes(StandardCharsets.UTF_8));
        assertThat(a.data()).isEqualTo("plain text \u00e9");
    }

    @Test
    void invalidJsonIsRefusedBeforeAnythingIsSent() {
        TestSyncClient a = fx.connect(ServerFixture.newRun(), "a");
        assertThatThrownBy(() -> a.setData("{\"room\":")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("data is not valid JSON");
        assertThat(a.data()).isNull();
        assertThat(a.isConnected()).isTrue();
    }

    @Test
    void connectionCountFollowsAgentsComingAndGoing() {
        String run = ServerFixture.newRun();
        TestSyncClient a = fx.connect(run, "a");
        assertThat(a.connectionCount()).isEqualTo(1);
        TestSyncClient b = TestSyncClient.connect(fx.uri(), run, fx.options("b"));
        assertThat(a.connectionCount()).isEqualTo(2);
        b.close();
        await().until(() -> a.connectionCount() == 1);
    }
}
