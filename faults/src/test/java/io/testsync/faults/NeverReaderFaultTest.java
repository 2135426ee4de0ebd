package io.testsync.faults;

import io.testsync.testkit.RawWebSocket;
import io.testsync.testkit.ServerJar;
import io.testsync.testkit.WireFrame;
import io.testsync.testkit.WsClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §7 against the jar: clients that ask for far more than they read (100 reads of a 1 MiB blob
 * each, then never read) do not make the server's memory grow with them, and are closed with 1008
 * and a WARN naming run and connection; meanwhile other agents are served.
 */
class NeverReaderFaultTest {
    static final int CLIENTS = 8;
    static final int REQUESTS = 100;
    static final int BLOB = 1 << 20;

    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void clientsThatNeverReadAreBoundedAndClosedWith1008(@TempDir Path dir) throws Exception {
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        List<RawWebSocket> readers = new ArrayList<>();
        try (ServerJar server = FaultServer.start(dir, Map.of()); WsClient bystander = server.agent("/register/nr-bystander")) {
            byte[] blob = new byte[BLOB];
            java.util.Arrays.fill(blob, (byte) 'b');
            List<String> runs = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                String run = "never-reads-" + i;
                runs.add(run);
                HttpResponse<Void> put = client.send(HttpRequest.newBuilder(server.uri("/tests/" + run)).header("Authorization", server.authorization())
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(blob)).build(), HttpResponse.BodyHandlers.discarding());
                assertThat(put.statusCode()).isEqualTo(200);
            }
            // warm up: a polite agent reads the blob a few times, so the baseline includes what serving it costs
            try (WsClient polite = server.agent("/register/" + runs.get(0))) {
                for (int i = 0; i < 20; i++) polite.send("{\"command\":\"read_data\"}");
                polite.send("{\"command\":\"get_connection_count\"}");
                assertThat(polite.awaitText(text -> true)).contains("\"count\""); // the 20 blobs before it are binary
            }
            long baseline = server.rssKib();
            AtomicLong peak = new AtomicLong(baseline);
            sampler.scheduleAtFixedRate(() -> {
                try {
                    peak.accumulateAndGet(server.rssKib(), Math::max);
                } catch (Exception gone) {
                    // the process ended; the test says why
                }
            }, 0, 100, TimeUnit.MILLISECONDS);

            byte[] read = WireFrame.text("{\"command\":\"read_data\"}").bytes();
            byte[] burst = new byte[read.length * REQUESTS];
            for (int i = 0; i < REQUESTS; i++) System.arraycopy(read, 0, burst, i * read.length, read.length);
            for (String run : runs) {
                RawWebSocket raw = server.rawAgent("/register/" + run);
                readers.add(raw);
                raw.send(burst);
            }

            // while they do not read, everyone else is served
            bystander.send("{\"command\":\"get_connection_count\"}");
            assertThat(bystander.nextText()).contains("\"count\":1");

            // the server gives up on them once they have read nothing, not even pings, for 30 s
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> warnings(server, runs) == CLIENTS);
            sampler.shutdownNow();
            long growth = peak.get() - baseline;

            int produced = 0;
            for (RawWebSocket raw : readers) {
                while (true) {
                    RawWebSocket.Frame f = raw.readFrame();
                    if (f.opcode() == WireFrame.BINARY) {
                        produced++;
                    } else if (f.opcode() == WireFrame.CLOSE) {
                        assertThat(f.closeCode()).isEqualTo(1008);
                        break;
                    }
                }
            }
            bystander.send("{\"command\":\"get_connection_count\"}");
            assertThat(bystander.nextText()).contains("\"count\":1");
            System.out.printf("faults: never-reading clients: %d clients each asked for %d x %d KiB and read nothing; server RSS grew by %d MiB at most"
                            + " (baseline %d MiB; unbounded it would have had to hold %d MiB); %d of %d replies were ever produced;"
                            + " all %d closed with 1008 and a WARN naming run and connection%n",
                    CLIENTS, REQUESTS, BLOB / 1024, growth / 1024, baseline / 1024, (long) CLIENTS * REQUESTS * BLOB >> 20,
                    produced, CLIENTS * REQUESTS, CLIENTS);
            assertThat(produced).isLessThan(CLIENTS * REQUESTS / 4);
            assertThat(growth).as("RSS growth in KiB").isLessThan((long) CLIENTS * REQUESTS * BLOB / 1024 / 2);
        } finally {
            sampler.shutdownNow();
            for (RawWebSocket r : readers) r.close();
        }
    }

    /** Runs named by a WARN line of the server saying it closed their connection with 1008. */
    private static long warnings(ServerJar server, List<String> runs) throws Exception {
        String log = server.logText();
        return runs.stream().filter(run -> Pattern.compile("WARN .*closing connection c\\d+ of run " + Pattern.quote(run)
                + " \\(1008\\): the client stopped reading").matcher(log).find()).count();
    }
}
