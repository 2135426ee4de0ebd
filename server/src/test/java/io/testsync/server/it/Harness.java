package io.testsync.server.it;

import io.testsync.server.config.RedisUrl;
import io.testsync.server.TestSyncServer;
import io.testsync.server.Tuning;
import io.testsync.server.config.Config;
import io.testsync.testkit.Credentials;
import io.testsync.testkit.WsClient;

import io.testsync.testkit.RedisProcess;
import io.testsync.server.cluster.LocalRedisCluster;

import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The real server on free ports, and real clients for it: one line to start, one to talk. Every
 * integration test goes through this.
 */
final class Harness implements AutoCloseable {
    static final String USER = "agent";
    static final String PASS = "s3cret";

    /**
     * Nodes per harness: 1 is the single server; more start that many nodes on one real Redis (cluster
     * mode, SPEC §11) and hand agent connections out round-robin over them. Set by the Cluster* subclasses
     * of the integration tests, which run the single-node tests unchanged against a cluster.
     */
    static volatile int nodes = 1;
    /** cluster.node_lease_ms of the nodes a cluster harness starts. */
    static volatile long leaseMs = Config.Cluster.DEFAULT_NODE_LEASE_MS;
    /** Whether a cluster harness puts its nodes on a Redis Cluster of three Redis nodes instead of one Redis. */
    static volatile boolean onRedisCluster = false;

    /** The Redis a cluster harness runs on, one redis-server or a Redis Cluster; the harness closes it. */
    interface Backing extends AutoCloseable {
        String url();

        /** One command (on a Redis Cluster: where its key lives; KEYS over every node). */
        Object call(String... args);

        @Override
        void close();

        static Backing of(RedisProcess redis) {
            return new Backing() {
                public String url() { return redis.url(); }
                public Object call(String... args) { return redis.call(args); }
                public void close() { redis.close(); }
            };
        }

        static Backing of(LocalRedisCluster cluster) {
            return new Backing() {
                public String url() { return cluster.url(); }
                public Object call(String... args) { return cluster.call(args); }
                public void close() { cluster.close(); }
            };
        }
    }

    /** The first node (the only one without a cluster): HTTP requests go here. */
    final TestSyncServer server;
    /** Every node, the first included. */
    final List<TestSyncServer> servers;
    /** The cluster's Redis, or null for a single server. */
    final Backing redis;
    private final AtomicInteger nextNode = new AtomicInteger();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Harness(List<TestSyncServer> servers, Backing redis) {
        this.server = servers.get(0);
        this.servers = new ArrayList<>(servers);
        this.redis = redis;
    }

    /** A server on one free port, with credentials, memory storage. */
    static Harness start() throws Exception {
        return start(config());
    }

    static Harness start(Config config) throws Exception {
        return start(config, Tuning.SPEC);
    }

    static Harness start(Config config, Tuning tuning) throws Exception {
        if (nodes == 1) return new Harness(List.of(TestSyncServer.start(config, tuning)), null);
        return cluster(config, tuning, nodes, leaseMs);
    }

    /** {@code n} nodes of one cluster on a fresh redis-server process, Redis storage, ids node-1… */
    static Harness cluster(Config config, Tuning tuning, int n, long lease) throws Exception {
        java.nio.file.Path dir = Files.createTempDirectory("testsync-cluster-");
        return cluster(config, tuning, n, lease, onRedisCluster ? Backing.of(LocalRedisCluster.start(dir)) : Backing.of(RedisProcess.start(dir)));
    }

    /** {@code n} nodes on {@code redis}, which the harness stops when it closes. */
    static Harness cluster(Config config, Tuning tuning, int n, long lease, RedisProcess redis) throws Exception {
        return cluster(config, tuning, n, lease, Backing.of(redis));
    }

    private static Harness cluster(Config config, Tuning tuning, int n, long lease, Backing redis) throws Exception {
        List<TestSyncServer> started = new ArrayList<>();
        try {
            for (int i = 1; i <= n; i++) {
                started.add(TestSyncServer.start(node(config, redis, i, lease), tuning));
            }
        } catch (Exception | Error e) {
            started.forEach(TestSyncServer::stop);
            redis.close();
            throw e;
        }
        return new Harness(started, redis);
    }

    /** Node {@code i}'s configuration: {@code config} with Redis storage and cluster mode on {@code redis}. */
    static Config node(Config config, RedisProcess redis, int i, long lease) {
        return node(config, Backing.of(redis), i, lease);
    }

    private static Config node(Config config, Backing redis, int i, long lease) {
        return config.withStorage(new Config.Storage(Config.Storage.REDIS, config.storage().sqlitePath(), false, RedisUrl.parse(redis.url())))
                .withCluster(new Config.Cluster(RedisUrl.parse(redis.url()), "node-" + i, lease));
    }

    /** Starts one more node of this cluster (index {@code i}). */
    TestSyncServer addNode(Config config, int i) throws Exception {
        TestSyncServer s = TestSyncServer.start(node(config, redis, i, leaseMs), Tuning.SPEC);
        servers.add(s);
        return s;
    }

    /** Live connections of run {@code run}, over every node. */
    int connections(String run) {
        if (redis == null) {
            var r = server.registry().find(run);
            return r == null ? 0 : r.connectionCount();
        }
        return ((Long) redis.call("ZCARD", "testsync:{" + run + "}:members")).intValue();
    }

    /** Every node of the cluster has its connection for the runs' events up. */
    boolean eventsConnected() {
        return servers.stream().allMatch(s -> ((io.testsync.server.cluster.RedisCoordinator) s.coordinator()).eventsConnected());
    }

    /** Live connections over all runs and nodes. */
    int connections() {
        if (redis == null) return server.registry().connectionCount();
        int n = 0;
        for (Object key : (List<?>) redis.call("KEYS", "testsync:{*}:members")) n += ((Long) redis.call("ZCARD", (String) key)).intValue();
        return n;
    }

    /** Members waiting at checkpoint {@code identifier} of {@code run}; -1 when it is not waiting. */
    int joined(String run, String identifier) {
        if (redis == null) return server.registry().find(run).joinedCount(identifier);
        String prefix = "testsync:{" + run + "}:";
        if (!"waiting".equals(redis.call("HGET", prefix + "cp:" + identifier, "state"))) return -1;
        return ((Long) redis.call("ZCARD", prefix + "cpw:" + identifier)).intValue();
    }

    /** Members waiting for a lock, over all runs. */
    int lockWaiters() {
        if (redis == null) return server.registry().lockWaiters();
        int n = 0;
        for (Object key : (List<?>) redis.call("KEYS", "testsync:{*}:lw:*")) n += ((Long) redis.call("HLEN", (String) key)).intValue();
        return n;
    }

    /** The defaults, on port 0 (one listener), with the test credentials. */
    static Config config() {
        return Config.defaults().withPorts(0, 0).withCredentials(new Config.Credentials(USER, PASS));
    }

    static String basic(String user, String pass) {
        return Credentials.basic(user, pass);
    }

    URI http(String path) {
        return URI.create("http://127.0.0.1:" + server.httpPort() + path);
    }

    /** A WebSocket URI on the next node, round-robin (always the one node without a cluster). */
    URI ws(String path) {
        TestSyncServer node = servers.get(Math.floorMod(nextNode.getAndIncrement(), servers.size()));
        return URI.create("ws://127.0.0.1:" + node.wsPort() + path);
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(http(path)).timeout(Duration.ofSeconds(20)).header("Authorization", basic(USER, PASS));
    }

    HttpResponse<byte[]> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<String> sendText(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(String path) throws Exception {
        return sendText(request(path).GET().build());
    }

    HttpResponse<String> post(String path, String body, String contentType) throws Exception {
        return sendText(request(path).header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    /** An agent connected to {@code /register/{testId}} with the Basic header. */
    WsClient agent(String testId) throws Exception {
        return WsClient.to(ws("/register/" + testId)).client(http).authorization(basic(USER, PASS)).connect();
    }

    /** An agent that negotiated testsync.v1, named {@code agent} (null: the server names it); its welcome frame is read. */
    WsClient v1(String testId, String agent) throws Exception {
        WsClient.Builder b = WsClient.to(ws("/register/" + testId)).client(http).authorization(basic(USER, PASS)).subprotocols("testsync.v1");
        if (agent != null) b.agent(agent);
        WsClient a = b.connect();
        String welcome = a.nextText();
        if (!welcome.startsWith("{\"command\":\"welcome\"")) throw new AssertionError("expected the welcome frame, got " + welcome);
        return a;
    }

    @Override
    public void close() {
        servers.forEach(TestSyncServer::stop);
        if (redis != null) redis.close();
    }
}
