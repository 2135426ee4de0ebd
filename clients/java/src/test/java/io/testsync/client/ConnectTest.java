package io.testsync.client;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Connecting, the welcome, refusals, closing and reconnecting, against the real server. */
class ConnectTest {
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
    void theWelcomeNamesRunAgentAndConnection() {
        String run = ServerFixture.newRun();
        TestSyncClient c = fx.connect(run, "browser-7");
        Welcome w = c.welcome();
        assertThat(w.protocol()).isEqualTo("testsync.v1");
        assertThat(w.run()).isEqualTo(run);
        assertThat(w.agent()).isEqualTo("browser-7");
        assertThat(w.connection()).isNotEmpty();
        assertThat(w.serverTimeMs()).isPositive();
        assertThat(w.limits()).containsEntry("max_data_bytes", 10L * 1024 * 1024);
        assertThat(c.isConnected()).isTrue();
        assertThat(c.toString()).contains("agent browser-7");
    }

    @Test
    void withoutANameTheServerChoosesOne() {
        TestSyncClient c = fx.own(TestSyncClient.connect(fx.uri(), ServerFixture.newRun(), Options.credentials("agent", "s3cret")));
        assertThat(c.welcome().agent()).matches("agent-[0-9]+");
    }

    @Test
    void anHttpClientOfTheUsersOwnCanOpenTheConnection() {
        java.net.http.HttpClient own = java.net.http.HttpClient.newHttpClient();
        TestSyncClient c = fx.own(TestSyncClient.connect(fx.uri(), ServerFixture.newRun(), fx.options("own").httpClient(own)));
        assertThat(c.connectionCount()).isEqualTo(1);
    }

    @Test
    void wrongCredentialsAreRefusedWithTheStatus() {
        TestSyncException e = catchThrowableOfType(TestSyncException.class,
                () -> TestSyncClient.connect(fx.uri(), "r1", Options.credentials("agent", "wrong")));
        assertThat(e.code()).isEqualTo(TestSyncException.CONNECT_FAILED);
        assertThat(e.httpStatus()).isEqualTo(401);
        assertThat(e.getMessage()).contains("HTTP 401", "missing or wrong credentials", "Options.credentials");
    }

    @Test
    void noServerListeningIsConnectFailed() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        TestSyncException e = catchThrowableOfType(TestSyncException.class,
                () -> TestSyncClient.connect(URI.create("ws://127.0.0.1:" + port), "r1", fx.options("a")));
        assertThat(e.code()).isEqualTo(TestSyncException.CONNECT_FAILED);
        assertThat(e.getMessage()).contains("ws://127.0.0.1:" + port + "/register/r1?agent=a", "is the TestSync server running");
    }

    @Test
    void closeIsIdempotentAndLaterCallsFailAsClosed() {
        TestSyncClient c = TestSyncClient.connect(fx.uri(), ServerFixture.newRun(), fx.options("a"));
        c.close();
        c.close();
        assertThat(c.isConnected()).isFalse();
        assertThatThrownBy(c::connectionCount).isInstanceOf(TestSyncException.class)
                .extracting(e -> ((TestSyncException) e).code()).isEqualTo(TestSyncException.CLOSED);
    }

    @Test
    void repliesDueBeforeCloseStillArrive() throws Exception {
        TestSyncClient c = TestSyncClient.connect(fx.uri(), ServerFixture.newRun(), fx.options("a"));
        var stored = c.setDataAsync("{\"last\":true}");
        var count = c.counterAsync("n", 5);
        c.close();
        assertThat(stored.get()).isNull();
        assertThat(count.get()).isEqualTo(5);
    }

    @Test
    void reconnectOpensAFreshConnectionToTheSameRun() {
        String run = ServerFixture.newRun();
        TestSyncClient a = fx.connect(run, "a");
        TestSyncClient b = fx.connect(run, "b");
        String before = a.welcome().connection();
        a.reconnect();
        assertThat(a.isConnected()).isTrue();
        assertThat(a.welcome().connection()).isNotEqualTo(before);
        assertThat(a.welcome().agent()).isEqualTo("a");
        org.awaitility.Awaitility.await().until(() -> b.connectionCount() == 2);
    }
}
