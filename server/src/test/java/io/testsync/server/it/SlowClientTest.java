package io.testsync.server.it;

import ch.qos.logback.classic.Level;
import io.testsync.server.Tuning;
import io.testsync.server.config.Config;
import io.testsync.testkit.RawWebSocket;
import io.testsync.testkit.WireFrame;
import io.testsync.testkit.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §7: a client that stops reading does not make the server buffer without bound: its commands
 * wait while its replies are queued, and it is closed with 1008 (and a WARN naming it). A client that
 * pipelines but reads is slowed down, never closed. Short pings so "has not read for 30 s" is 1.5 s.
 */
class SlowClientTest {
    static final int BLOB = 1 << 20;
    static final int MAX_QUEUED = 4 << 20;
    static final int REQUESTS = 100;
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        Config.Limits d = Config.Limits.defaults();
        h = Harness.start(Harness.config().withLimits(new Config.Limits(BLOB, d.maxRuns(), d.maxConnectionsPerRun(),
                d.maxConnections(), d.maxCheckpointsPerRun(), MAX_QUEUED)), new Tuning(10_000, 300, 1_500));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String runWithBlob() throws Exception {
        String run = "slow-" + UUID.randomUUID();
        byte[] blob = new byte[BLOB];
        java.util.Arrays.fill(blob, (byte) 'x');
        assertThat(h.send(h.request("/tests/" + run).PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build()).statusCode()).isEqualTo(200);
        return run;
    }

    /** Asks for the blob {@link #REQUESTS} times and reads nothing. */
    static RawWebSocket neverReader(String run) throws IOException {
        RawWebSocket raw = RawWebSocket.open(h.server.wsPort());
        assertThat(raw.upgrade("/register/" + run, "Authorization: " + Harness.basic(Harness.USER, Harness.PASS)).status()).isEqualTo(101);
        byte[] read = WireFrame.text("{\"command\":\"read_data\"}").bytes();
        byte[] all = new byte[read.length * REQUESTS];
        for (int i = 0; i < REQUESTS; i++) System.arraycopy(read, 0, all, i * read.length, read.length);
        raw.send(all);
        return raw;
    }

    /** Reads everything the server still sends; returns the number of blobs that came before the close frame, which must be 1008. */
    static int drainToClose(RawWebSocket raw) throws IOException {
        int blobs = 0;
        while (true) {
            RawWebSocket.Frame f = raw.readFrame();
            if (f.opcode() == WireFrame.BINARY) {
                assertThat(f.payload()).hasSize(BLOB);
                blobs++;
            } else if (f.opcode() == WireFrame.CLOSE) {
                assertThat(f.closeCode()).isEqualTo(1008);
                return blobs;
            }
        }
    }

    static long usedHeapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void clientsThatNeverReadAreClosedWith1008AndTheServerHoldsABoundedAmountForThem() throws Exception {
        int clients = 4;
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < clients; i++) runs.add(runWithBlob());
        long before = usedHeapAfterGc();
        List<RawWebSocket> readers = new ArrayList<>();
        try (LogCapture log = LogCapture.of("io.testsync.server.ws.AgentSocket"); WsClient bystander = h.agent("slow-bystander")) {
            for (String run : runs) readers.add(neverReader(run));
            await().until(() -> log.messages(Level.WARN).size() >= clients);
            // nothing was read yet: whatever the server holds for them is on its heap now
            long held = usedHeapAfterGc() - before;
            for (String run : runs) {
                assertThat(log.messages(Level.WARN)).anySatisfy(m -> assertThat(m)
                        .matches("closing connection c\\d+ of run " + run + " \\(1008\\): the client stopped reading; .*")
                        .contains("limits.max_queued_bytes is " + MAX_QUEUED));
            }
            bystander.send("{\"command\":\"get_connection_count\"}");
            assertThat(bystander.nextText()).contains("\"count\":1");
            int received = 0;
            for (RawWebSocket r : readers) {
                received += drainToClose(r);
                r.close();
            }
            // hung up on, the server lets go of them at once (not after Vert.x's 10 s closing timeout)
            await().atMost(Duration.ofSeconds(5)).until(() -> h.server.registry().connectionCount() == 1);
            System.out.printf("slow clients: %d clients asked for %d x %d bytes each without reading; server heap held %d KiB for them;"
                    + " %d blobs of %d were ever produced; all closed with 1008%n", clients, REQUESTS, BLOB, held / 1024, received, clients * REQUESTS);
            // Unbounded, the server would hold 4 x 100 MiB. Bounded, each connection's queue is at most
            // max_queued_bytes (plus what the kernel's socket buffers took before they filled).
            assertThat(held).isLessThan(clients * 3L * MAX_QUEUED + (32L << 20));
            assertThat(received).isLessThan(clients * REQUESTS / 2);
        } finally {
            for (RawWebSocket r : readers) r.close();
        }
    }

    @Test
    void aClientThatPipelinesManyLargeRequestsButReadsGetsEveryReplyAndStaysOpen() throws Exception {
        String run = runWithBlob();
        int requests = 60; // 60 MiB of replies asked for at once, 15 times max_queued_bytes
        try (WsClient a = h.agent(run)) {
            for (int i = 0; i < requests; i++) a.send("{\"command\":\"read_data\"}");
            a.send("{\"command\":\"get_connection_count\"}");
            for (int i = 0; i < requests; i++) assertThat(a.nextBinary()).hasSize(BLOB);
            assertThat(a.nextText()).contains("\"count\":1");
            assertThat(a.closeCode()).isNotDone();
        }
    }
}
