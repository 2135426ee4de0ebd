package io.testsync.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * A connection that ends under a waiting call fails every pending call at once (the brief: within
 * 1 s, never a hang), later calls fail at once, and nothing reconnects until asked.
 */
class ConnectionLossTest {
    ServerFixture fx;
    TcpProxy proxy;

    @BeforeEach
    void start() throws Exception {
        fx = ServerFixture.start();
        proxy = new TcpProxy(fx.server.wsPort());
    }

    @AfterEach
    void stop() throws Exception {
        proxy.close();
        fx.close();
    }

    @Test
    void stoppingTheServerFailsAWaitingCheckpointAndAWaitingLockWithinOneSecond() throws Exception {
        String run = ServerFixture.newRun();
        TestSyncClient holder = fx.connect(run, "holder");
        TestSyncClient a = fx.connect(run, "a");
        holder.lock("l", Duration.ZERO);
        CompletableFuture<Release> checkpoint = a.checkpointAsync("never", 2, Duration.ZERO);
        CompletableFuture<Lock> lock = a.lockAsync("l", Duration.ZERO);
        assertThat(a.connectionCount()).isEqualTo(2); // both requests are registered on the server
        Thread stopper = new Thread(fx.server::stop, "server-stop");
        stopper.start();
        ConnectionLostException e = lostWithinOneSecond(checkpoint);
        assertThat(e.closeCode()).isEqualTo(1012);
        assertThat(e.command()).isEqualTo("wait_checkpoint");
        assertThat(e.getMessage()).contains("code 1012", "shutting down or restarting", "call reconnect()");
        assertThat(lostWithinOneSecond(lock).command()).isEqualTo("lock");
        stopper.join(20_000);
    }

    @Test
    void aCutTcpConnectionFailsEveryPendingCallWithinOneSecondAndLaterCallsAtOnce() throws Exception {
        String run = ServerFixture.newRun();
        TestSyncClient a = fx.own(TestSyncClient.connect(proxy.uri(), run, fx.options("a")));
        CompletableFuture<Release> checkpoint = a.checkpointAsync("never", 2, Duration.ofMinutes(5));
        CompletableFuture<Release> other = a.checkpointAsync("never-either", 3, Duration.ZERO);
        Subscription subscription = a.subscribe("t", m -> { });
        assertThat(a.connectionCount()).isEqualTo(1);
        proxy.cut();
        ConnectionLostException e = lostWithinOneSecond(checkpoint);
        assertThat(e.closeCode()).isEqualTo(-1);
        assertThat(lostWithinOneSecond(other).command()).isEqualTo("wait_checkpoint");
        assertThat(lostWithinOneSecond(subscription.ended())).isNotNull();
        assertThat(a.isConnected()).isFalse();
        ConnectionLostException later = catchThrowableOfType(ConnectionLostException.class, () -> a.counter("n", 1));
        assertThat(later.command()).isEqualTo("counter");
    }

    @Test
    void aPeerGoneSilentWithoutAResetIsLostAfterTheSilenceTimeout() throws Exception {
        String run = ServerFixture.newRun();
        // below the server's 10 s ping interval only so that this test need not wait 40 s
        TestSyncClient a = fx.own(TestSyncClient.connect(proxy.uri(), run, fx.options("a").silenceTimeout(Duration.ofMillis(1500))));
        CompletableFuture<Release> checkpoint = a.checkpointAsync("never", 2, Duration.ZERO);
        assertThat(a.connectionCount()).isEqualTo(1);
        proxy.freeze();
        ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> checkpoint.get(10, TimeUnit.SECONDS));
        assertThat(e.getCause()).isInstanceOf(ConnectionLostException.class)
                .hasMessageContaining("nothing heard from the server for 1500 ms");
        assertThat(a.isConnected()).isFalse();
    }

    @Test
    void aServerThatDoesNotAnswerFailsTheCallWithTimeoutAndTheConnectionStaysOpen() {
        TestSyncClient a = fx.own(TestSyncClient.connect(proxy.uri(), ServerFixture.newRun(),
                fx.options("a").requestTimeout(Duration.ofMillis(300))));
        proxy.freeze();
        TestSyncException e = catchThrowableOfType(TestSyncException.class, () -> a.counter("n", 1));
        assertThat(e.code()).isEqualTo(TestSyncException.TIMEOUT);
        assertThat(e.command()).isEqualTo("counter");
        assertThat(e.getMessage()).contains("counter: no answer from ", "within 300 ms; the connection stays open");
        assertThat(a.isConnected()).isTrue();
    }

    @Test
    void nothingReconnectsByItselfButReconnectDoes() throws Exception {
        String run = ServerFixture.newRun();
        TestSyncClient observer = fx.connect(run, "observer");
        TestSyncClient a = fx.own(TestSyncClient.connect(proxy.uri(), run, fx.options("a")));
        proxy.cut();
        org.awaitility.Awaitility.await().until(() -> !a.isConnected());
        org.awaitility.Awaitility.await().until(() -> observer.connectionCount() == 1);
        assertThat(a.isConnected()).isFalse();
        a.reconnect();
        assertThat(a.isConnected()).isTrue();
        assertThat(a.counter("n", 1)).isEqualTo(1);
        assertThat(observer.connectionCount()).isEqualTo(2);
    }

    private static ConnectionLostException lostWithinOneSecond(CompletableFuture<?> call) {
        ExecutionException e = catchThrowableOfType(ExecutionException.class, () -> call.get(1, TimeUnit.SECONDS));
        assertThat(e).as("the call failed within 1 s").isNotNull();
        assertThat(e.getCause()).isInstanceOf(ConnectionLostException.class);
        ConnectionLostException lost = (ConnectionLostException) e.getCause();
        assertThat(lost.code()).isEqualTo(TestSyncException.CONNECTION_LOST);
        return lost;
    }
}
