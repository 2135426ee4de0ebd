package io.testsync.server.it;

import ch.qos.logback.classic.Level;
import io.testsync.server.Tuning;
import io.testsync.server.config.Config;
import io.testsync.testkit.Bytes;
import io.testsync.testkit.RawWebSocket;
import io.testsync.testkit.TcpTable;
import io.testsync.testkit.WireFrame;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §7.1: a connection the server decides to close is gone at the TCP level within 5 s of the
 * decision, whether or not the peer reads or answers the close; and a client still sending a message
 * over the limit receives the 1009 close frame, not a reset. Short pings (a 1.5 s pong deadline) and a
 * 1 s close grace, so each case takes seconds.
 */
class ServerClosesTest {
    static final int BLOB = 1 << 20;
    static final int MAX_QUEUED = 4 << 20;
    static final Tuning TUNING = new Tuning(10_000, 300, 1_500).withCloseGrace(1_000);
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        Config.Limits d = Config.Limits.defaults();
        h = Harness.start(Harness.config().withLimits(new Config.Limits(BLOB, d.maxRuns(), d.maxConnectionsPerRun(),
                d.maxConnections(), d.maxCheckpointsPerRun(), MAX_QUEUED)), TUNING);
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static RawWebSocket upgraded(String run) throws IOException {
        return RawWebSocket.upgraded(h.server.wsPort(), "/register/" + run, "Authorization: " + Harness.basic(Harness.USER, Harness.PASS));
    }

    /** Waits until the kernel no longer lists the client's end as ESTABLISHED, at most until 5 s after {@code decidedAt}; returns when. */
    static long awaitGone(RawWebSocket raw, long decidedAt) throws InterruptedException {
        int local = raw.localPort();
        while (TcpTable.established(local, h.server.wsPort()) && System.currentTimeMillis() < decidedAt + 5_000) Thread.sleep(10);
        long goneAt = System.currentTimeMillis();
        Optional<TcpTable.Entry> left = TcpTable.find(local, h.server.wsPort());
        assertThat(left.map(TcpTable.Entry::state)).as("the client's end 5 s after the decision: %s", left).isNotEqualTo(Optional.of("ESTABLISHED"));
        return goneAt;
    }

    @Test
    void aClientThatNeverReadsIsGoneWithinFiveSecondsOfThe1008Decision() throws Exception {
        String run = "never-reads-" + UUID.randomUUID();
        byte[] blob = new byte[BLOB];
        assertThat(h.send(h.request("/tests/" + run).PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build()).statusCode()).isEqualTo(200);
        try (LogCapture log = LogCapture.of("io.testsync.server.ws.AgentSocket"); RawWebSocket raw = upgraded(run)) {
            raw.send(Bytes.repeat(WireFrame.text("{\"command\":\"read_data\"}").bytes(), 200));
            String decision = "of run " + run + " (1008)";
            await().atMost(Duration.ofSeconds(20)).until(() -> log.timeOf(Level.WARN, decision) != null);
            long decidedAt = log.timeOf(Level.WARN, decision);
            assertThat(awaitGone(raw, decidedAt) - decidedAt).isLessThanOrEqualTo(5_000);
        }
    }

    @Test
    void aClientThatNeitherReadsNorAnswersIsGoneWithinFiveSecondsOfThe1001Decision() throws Exception {
        String run = "silent-" + UUID.randomUUID();
        try (LogCapture log = LogCapture.of("io.testsync.server.ws.AgentSocket"); RawWebSocket raw = upgraded(run)) {
            String decision = "of run " + run + ": no answer to pings";
            await().atMost(Duration.ofSeconds(20)).until(() -> log.timeOf(Level.INFO, decision) != null);
            long decidedAt = log.timeOf(Level.INFO, decision);
            assertThat(awaitGone(raw, decidedAt) - decidedAt).isLessThanOrEqualTo(5_000);
        }
    }

    @Test
    void aClientStillSendingAMessageOverTheLimitReceivesThe1009CloseFrame() throws Exception {
        byte[] frame = WireFrame.of(WireFrame.TEXT, new byte[10 * BLOB]).bytes(); // ten times the limit
        for (int round = 0; round < 5; round++) {
            try (RawWebSocket raw = upgraded("oversized-" + UUID.randomUUID())) {
                CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                    try {
                        raw.send(frame);
                    } catch (IOException cutOff) {
                        // the connection ends at last; what counts is what the reader got before
                    }
                });
                assertThat(raw.awaitCloseCode()).as("round %d", round).isEqualTo(1009);
                writing.cancel(true);
            }
        }
    }
}
