package io.testsync.faults;

import io.testsync.testkit.RedisProcess;
import io.testsync.testkit.ServerJar;
import io.testsync.testkit.WsClient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SPEC §11, Redis crashes: two server jars on one durable Redis (AOF, appendfsync always). HTTP writers
 * (POST/PUT on either node), v1 update_data writers and counter writers on both nodes record every
 * write that was acknowledged; redis-server is killed with -9 mid-stream. While it is down both nodes'
 * /readyz answer 503, commands answer internal_error and HTTP 500 in their documented shapes, and the
 * connections stay open. Once Redis is restarted on its port and directory ({@link #OUTAGE_MS} later),
 * /readyz is 200 again and the node works: checkpoints across the nodes complete at once on the same
 * connections, every acknowledged write reads back byte for byte from both nodes, and the counter holds
 * the acknowledged sum.
 */
class ClusterRedisRestartFaultTest {
    static final long LEASE_MS = 5_000;
    static final int KILL_AFTER_ACKS = 300;
    /**
     * How long Redis stays down: a crashed Redis replaying its AOF is away for seconds. Longer than the
     * lease (the nodes' leases lapse in Redis meanwhile, and none may evict the other afterwards) and than
     * the pub/sub reconnect back-off's cap (2 s), so the nodes come back at different moments.
     */
    static final long OUTAGE_MS = LEASE_MS + 1_000;
    static final String SYNC_RUN = "rr-sync";
    static final String COUNTER = "acked";
    static final String STORAGE_FAILED = "storage failed; the command was not applied";
    static final String COORDINATION_FAILED = "coordination failed; the command was not applied";

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /** What the writers had acknowledged, and what was in flight when they failed (it may or may not have been applied). */
    final Map<String, byte[]> ackedKeys = new ConcurrentHashMap<>();
    final Map<String, String> ackedData = new ConcurrentHashMap<>();
    final Map<String, String> inFlightData = new ConcurrentHashMap<>();
    final AtomicInteger ackedSum = new AtomicInteger();
    final Queue<Integer> inFlightAdds = new ConcurrentLinkedQueue<>();
    final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    final AtomicInteger acks = new AtomicInteger();

    @Test
    void acknowledgedWritesSurviveAKilledRedisAndTheClusterWorksAgainWhenItIsBack(@TempDir Path dir) throws Exception {
        try (RedisProcess redis = RedisProcess.durable(dir.resolve("redis"))) {
            List<ServerJar> nodes = ClusterNodes.start(dir, redis, 2, LEASE_MS);
            List<WsClient> agents = new ArrayList<>();
            try {
                List<WsClient> dataWriters = new ArrayList<>();
                List<WsClient> counterWriters = new ArrayList<>();
                List<WsClient> probes = new ArrayList<>();
                for (int n = 0; n < 2; n++) {
                    dataWriters.add(v1(nodes.get(n), "rr-data-" + n, "data-writer-" + n, agents));
                    counterWriters.add(v1(nodes.get(n), SYNC_RUN, "counter-writer-" + n, agents));
                    probes.add(v1(nodes.get(n), SYNC_RUN, "probe-" + n, agents));
                }

                AtomicBoolean redisDown = new AtomicBoolean();
                ExecutorService writers = Executors.newFixedThreadPool(6);
                for (int w = 0; w < 2; w++) {
                    int writer = w;
                    writers.submit(() -> httpWriter(nodes, writer));
                    writers.submit(() -> dataWriter(dataWriters.get(writer), "rr-data-" + writer));
                    writers.submit(() -> counterWriter(counterWriters.get(writer), writer));
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> acks.get() >= KILL_AFTER_ACKS || !unexpected.isEmpty());
                redis.kill();
                redisDown.set(true);
                long killedAt = System.nanoTime();
                writers.shutdown();
                assertThat(writers.awaitTermination(30, TimeUnit.SECONDS)).as("every writer met the outage and stopped").isTrue();
                assertThat(unexpected).as("answers that are neither an acknowledgement nor the documented failure").isEmpty();

                // Redis is down: not ready, clean errors, connections open
                for (ServerJar node : nodes) {
                    await().atMost(Duration.ofSeconds(15)).until(() -> get(node, "/readyz").statusCode() == 503);
                    HttpResponse<String> notReady = get(node, "/readyz");
                    assertThat(notReady.body()).isEqualTo("{\"code\":503,\"error\":\"not ready: storage is not answering; the server log says why\"}");
                    String aKey = ackedKeys.keySet().iterator().next();
                    assertThat(status(get(node, "/tests/" + aKey))).isEqualTo("500 {\"code\":500,\"error\":\"storage failed; the request was not applied\"}");
                    assertThat(status(http.send(request(node, "/tests/rr-down").PUT(HttpRequest.BodyPublishers.ofString("x")).build(),
                            HttpResponse.BodyHandlers.ofString()))).isEqualTo("500 {\"code\":500,\"error\":\"storage failed; the request was not applied\"}");
                }
                long outageMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                for (WsClient probe : probes) {
                    assertThat(ask(probe, "{\"command\":\"update_data\",\"id\":\"u\",\"content\":{\"down\":true}}")).isEqualTo(error("u", "update_data", STORAGE_FAILED));
                    assertThat(ask(probe, "{\"command\":\"read_data\",\"id\":\"r\"}")).isEqualTo(error("r", "read_data", STORAGE_FAILED));
                    assertThat(ask(probe, "{\"command\":\"counter\",\"id\":\"c\",\"content\":{\"name\":\"" + COUNTER + "\",\"add\":1000}}"))
                            .isEqualTo(error("c", "counter", COORDINATION_FAILED));
                    assertThat(ask(probe, "{\"command\":\"get_connection_count\",\"id\":\"n\"}")).isEqualTo(error("n", "get_connection_count", COORDINATION_FAILED));
                    assertThat(ask(probe, "{\"command\":\"wait_checkpoint\",\"id\":\"w\",\"content\":{\"identifier\":\"down\",\"target_count\":1}}"))
                            .isEqualTo(error("w", "wait_checkpoint", COORDINATION_FAILED));
                }
                for (WsClient a : agents) assertThat(a.end()).as("connections stay open while Redis is down").isNull();

                // Redis is back on its port and directory after OUTAGE_MS: ready again, nothing acknowledged is lost
                long downForNanos = TimeUnit.MILLISECONDS.toNanos(OUTAGE_MS) - (System.nanoTime() - killedAt);
                if (downForNanos > 0) TimeUnit.NANOSECONDS.sleep(downForNanos); // the fault's length, not a wait for a state
                redis.restart();
                long restartedAt = System.nanoTime();
                for (ServerJar node : nodes) {
                    await().atMost(Duration.ofSeconds(15)).until(() -> get(node, "/readyz").statusCode() == 200);
                    assertThat(get(node, "/readyz").body()).isEqualTo("{\"status\":\"ready\"}");
                }
                long readyAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt);
                // ready means working: the same connections coordinate across the nodes at once (no one evicted, deliveries back)
                List<WsClient> sync = List.of(counterWriters.get(0), probes.get(1), counterWriters.get(1), probes.get(0));
                for (WsClient a : sync) assertThat(ask(a, "{\"command\":\"get_connection_count\",\"id\":\"n\"}"))
                        .isEqualTo("{\"command\":\"get_connection_count\",\"id\":\"n\",\"content\":{\"count\":4}}");
                for (String cp : List.of("after-1", "after-2")) {
                    for (WsClient a : sync) a.send("{\"command\":\"wait_checkpoint\",\"id\":\"" + cp + "\",\"content\":{\"identifier\":\"" + cp + "\",\"target_count\":4}}");
                    for (WsClient a : sync) assertThat(a.nextText()).startsWith("{\"command\":\"wait_checkpoint\",\"id\":\"" + cp + "\",\"content\":{\"identifier\":\""
                            + cp + "\",\"finished\":true,\"reason\":\"complete\",\"joined\":4,\"target\":4,\"start_at\":");
                }
                for (ServerJar node : nodes) {
                    for (var e : ackedKeys.entrySet()) {
                        HttpResponse<byte[]> r = http.send(request(node, "/tests/" + e.getKey()).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                        assertThat(r.statusCode()).as("GET %s", e.getKey()).isEqualTo(200);
                        assertThat(r.body()).as("GET %s: the exact bytes", e.getKey()).isEqualTo(e.getValue());
                        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
                    }
                    for (var e : ackedData.entrySet()) {
                        HttpResponse<String> r = get(node, "/tests/" + e.getKey());
                        assertThat(r.statusCode()).isEqualTo(200);
                        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
                        assertThat(r.body()).as("%s: the last acknowledged data, or the write in flight at the kill", e.getKey())
                                .isIn(e.getValue(), inFlightData.getOrDefault(e.getKey(), e.getValue()));
                    }
                }
                for (int n = 0; n < 2; n++) {
                    String run = "rr-data-" + n;
                    String stored = get(nodes.get(n), "/tests/" + run).body();
                    assertThat(ask(dataWriters.get(n), "{\"command\":\"read_data\",\"id\":\"r\"}"))
                            .isEqualTo("{\"command\":\"read_data\",\"id\":\"r\",\"content\":{\"exists\":true,\"content_type\":\"application/json\",\"data\":" + stored + "}}");
                }
                int sum = ackedSum.get();
                List<Integer> possible = subsetSums(List.copyOf(inFlightAdds), sum);
                for (WsClient a : counterWriters) {
                    String reply = ask(a, "{\"command\":\"counter\",\"id\":\"c0\",\"content\":{\"name\":\"" + COUNTER + "\",\"add\":0}}");
                    assertThat(possible.stream().map(v -> "{\"command\":\"counter\",\"id\":\"c0\",\"content\":{\"name\":\"" + COUNTER + "\",\"value\":" + v + "}}"))
                            .as("the counter: the acknowledged sum %d, plus any of the adds in flight at the kill %s", sum, inFlightAdds).contains(reply);
                }

                for (WsClient a : agents) assertThat(a.pending()).as("nothing else was due").isEmpty();

                System.out.printf("faults: kill -9 of a durable Redis under 2 cluster nodes: %d writes acknowledged (HTTP %d keys, update_data"
                                + " %d runs, counter sum %d; in flight at the kill: %d adds, %d updates), none lost; /readyz 503 on both"
                                + " nodes within %d ms of the kill, Redis down %d ms, /readyz 200 again %d ms after the restart%n",
                        acks.get(), ackedKeys.size(), ackedData.size(), sum, inFlightAdds.size(), inFlightData.size(), outageMs, OUTAGE_MS, readyAfterMs);
            } catch (Throwable e) {
                ClusterNodes.printLogs(nodes);
                throw e;
            } finally {
                for (WsClient a : agents) a.abort();
                ClusterNodes.stop(nodes);
            }
        }
    }

    /** POSTs (even n) and PUTs (odd n) fresh keys of bytes that are not UTF-8, on node n % 2, until storage fails. */
    private Void httpWriter(List<ServerJar> nodes, int writer) {
        for (int n = 0; ; n++) {
            String key = "rr-http-" + writer + "-" + n;
            byte[] body = (key + "\u0000\u00ff\u00e9").getBytes(StandardCharsets.ISO_8859_1);
            HttpRequest.Builder req = request(nodes.get(n % 2), "/tests/" + key);
            HttpRequest.BodyPublisher bytes = HttpRequest.BodyPublishers.ofByteArray(body);
            try {
                HttpResponse<byte[]> r = http.send((n % 2 == 0 ? req.POST(bytes) : req.PUT(bytes)).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200 && java.util.Arrays.equals(r.body(), body)) {
                    ackedKeys.put(key, body);
                    acks.incrementAndGet();
                } else {
                    String got = r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
                    if (!got.equals("500 {\"code\":500,\"error\":\"storage failed; the request was not applied\"}")) unexpected.add(key + ": " + got);
                    return null;
                }
            } catch (Exception e) {
                unexpected.add(key + ": " + e);
                return null;
            }
        }
    }

    /** update_data n, acknowledged by its v1 reply, until the reply is internal_error. */
    private Void dataWriter(WsClient agent, String run) {
        for (int n = 1; ; n++) {
            String data = "{\"n\": " + n + ",  \"writer\":\"" + run + "\"}";
            try {
                String reply = ask(agent, "{\"command\":\"update_data\",\"id\":\"u" + n + "\",\"content\":" + data + "}");
                if (reply.equals("{\"command\":\"update_data\",\"id\":\"u" + n + "\",\"content\":{\"stored\":true,\"bytes\":" + data.length() + "}}")) {
                    ackedData.put(run, data);
                    acks.incrementAndGet();
                } else {
                    inFlightData.put(run, data);
                    if (!reply.equals(error("u" + n, "update_data", STORAGE_FAILED))) unexpected.add(run + ": " + reply);
                    return null;
                }
            } catch (Exception | AssertionError e) {
                unexpected.add(run + ": " + e);
                return null;
            }
        }
    }

    /** counter add k on the shared counter, acknowledged by its value, until the reply is internal_error. */
    private Void counterWriter(WsClient agent, int writer) {
        for (int n = 1; ; n++) {
            int add = 1 + (n + writer) % 7;
            try {
                String reply = ask(agent, "{\"command\":\"counter\",\"id\":\"c" + n + "\",\"content\":{\"name\":\"" + COUNTER + "\",\"add\":" + add + "}}");
                if (reply.startsWith("{\"command\":\"counter\",\"id\":\"c" + n + "\",\"content\":{\"name\":\"" + COUNTER + "\",\"value\":")) {
                    ackedSum.addAndGet(add);
                    acks.incrementAndGet();
                } else {
                    inFlightAdds.add(add);
                    if (!reply.equals(error("c" + n, "counter", COORDINATION_FAILED))) unexpected.add("counter-writer-" + writer + ": " + reply);
                    return null;
                }
            } catch (Exception | AssertionError e) {
                unexpected.add("counter-writer-" + writer + ": " + e);
                return null;
            }
        }
    }

    /** Every value the counter may hold: {@code base} plus the adds of any subset of those in flight. */
    private static List<Integer> subsetSums(List<Integer> inFlight, int base) {
        List<Integer> sums = new ArrayList<>(List.of(base));
        for (int add : inFlight) {
            for (int s : List.copyOf(sums)) sums.add(s + add);
        }
        return sums;
    }

    private static WsClient v1(ServerJar node, String run, String agent, List<WsClient> all) throws Exception {
        WsClient c = WsClient.to(node.ws("/register/" + run)).agent(agent).subprotocols("testsync.v1").authorization(node.authorization()).connect();
        all.add(c);
        assertThat(c.nextText()).startsWith("{\"command\":\"welcome\",\"content\":{\"protocol\":\"testsync.v1\",\"run\":\"" + run + "\",\"agent\":\"" + agent + "\",");
        return c;
    }

    /** One command and its reply, which must be the next frame. */
    private static String ask(WsClient agent, String frame) throws Exception {
        agent.send(frame);
        return agent.nextText();
    }

    private static String error(String id, String command, String message) {
        return "{\"command\":\"error\",\"id\":\"" + id + "\",\"content\":{\"code\":\"internal_error\",\"command\":\"" + command
                + "\",\"error\":\"" + message + "\"}}";
    }

    private HttpRequest.Builder request(ServerJar node, String path) {
        return HttpRequest.newBuilder(node.uri(path)).header("Authorization", node.authorization()).timeout(Duration.ofSeconds(15));
    }

    private HttpResponse<String> get(ServerJar node, String path) throws Exception {
        return http.send(request(node, path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String status(HttpResponse<String> r) {
        return r.statusCode() + " " + r.body();
    }
}
