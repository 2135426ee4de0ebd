package io.testsync.faults;

import io.testsync.testkit.Bytes;
import io.testsync.testkit.RawWebSocket;
import io.testsync.testkit.ServerJar;
import io.testsync.testkit.TcpTable;
import io.testsync.testkit.WireFrame;
import io.testsync.testkit.WsClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §7.1 against the jar: a connection the server decides to close is gone at the TCP level within
 * 5 s of that decision even when the client never reads a byte (its queued replies and the close frame
 * behind them cannot go), and a client still sending a message over the limit receives the 1009
 * close frame rather than a reset.
 */
class ServerClosesFaultTest {
    static final int BLOB = 1 << 20;
    static final int REQUESTS = 2_000;
    /** The default limits: 10 MiB of data plus the 64 KiB envelope allowance; this is 64 KiB over. */
    static final int OVERSIZED = 10 * 1024 * 1024 + 128 * 1024;
    static final int ROUNDS = 5;

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void aClientThatNeverReadsIsGoneAtTheTcpLevelWithinFiveSecondsOfThe1008Decision(@TempDir Path dir) throws Exception {
        try (ServerJar server = FaultServer.start(dir, Map.of())) {
            String run = "never-reads-tcp";
            byte[] blob = new byte[BLOB];
            java.util.Arrays.fill(blob, (byte) 'b');
            HttpResponse<Void> put = client.send(HttpRequest.newBuilder(server.uri("/tests/" + run)).header("Authorization", server.authorization())
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.discarding());
            assertThat(put.statusCode()).isEqualTo(200);

            try (RawWebSocket raw = server.rawAgent("/register/" + run)) {
                int local = raw.localPort();
                raw.send(Bytes.repeat(WireFrame.text("{\"command\":\"read_data\"}").bytes(), REQUESTS));
                // the decision: a WARN naming the run, with the time the server made it
                Pattern warn = Pattern.compile("(?m)^(\\S+) WARN .*closing connection c\\d+ of run " + run + " \\(1008\\): the client stopped reading");
                Matcher[] found = new Matcher[1];
                await("the server's 1008 decision").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                        .until(() -> (found[0] = warn.matcher(server.logText())).find());
                long decidedAt = OffsetDateTime.parse(found[0].group(1)).toInstant().toEpochMilli();
                Optional<TcpTable.Entry> atDecision = TcpTable.find(local, server.port());

                long deadline = decidedAt + 5_000;
                while (TcpTable.established(local, server.port()) && System.currentTimeMillis() < deadline) Thread.sleep(20);
                long goneAt = System.currentTimeMillis();
                Optional<TcpTable.Entry> after = TcpTable.find(local, server.port());
                System.out.printf("faults: server-decided close: a client that asked for %d x %d KiB and never read was closed with 1008;"
                                + " its connection (client port %d) was %s when the WARN was read and %s %d ms after the decision%n",
                        REQUESTS, BLOB / 1024, local, atDecision.map(Object::toString).orElse("gone"),
                        after.map(Object::toString).orElse("gone"), goneAt - decidedAt);
                assertThat(after.map(TcpTable.Entry::state)).as("the client's end of the connection 5 s after the 1008 decision: %s", after)
                        .isNotEqualTo(Optional.of("ESTABLISHED"));
                assertThat(goneAt - decidedAt).isLessThanOrEqualTo(5_000);
            }
        }
    }

    @Test
    void aClientStillSendingAnOversizedMessageReceivesThe1009CloseFrameNotAReset(@TempDir Path dir) throws Exception {
        String huge = "x".repeat(OVERSIZED);
        byte[] hugeFrame = WireFrame.text(huge).bytes();
        try (ServerJar server = FaultServer.start(dir, Map.of())) {
            for (int round = 0; round < ROUNDS; round++) {
                // the JDK's client, as an agent would send it: it reports 1006 (onError) when a reset beats the close frame
                try (WsClient agent = server.agent("/register/oversized-jdk-" + round)) {
                    agent.webSocket().sendText(huge, true);
                    assertThat(agent.awaitClose()).as("round %d, JDK client", round).isEqualTo(1009);
                }
                // a bare socket still writing the rest of the frame while it reads the answer
                try (RawWebSocket raw = server.rawAgent("/register/oversized-raw-" + round)) {
                    CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                        try {
                            raw.send(hugeFrame);
                        } catch (IOException cutOff) {
                            // the server ends the connection at last; what matters is what the reader got first
                        }
                    });
                    assertThat(raw.awaitCloseCode()).as("round %d, bare socket", round).isEqualTo(1009);
                    writing.cancel(true);
                }
            }
            System.out.printf("faults: oversized messages: %d JDK clients and %d bare sockets sent %d bytes (64 KiB over the limit);"
                    + " every one received the 1009 close frame while still sending%n", ROUNDS, ROUNDS, OVERSIZED);
        }
    }
}
