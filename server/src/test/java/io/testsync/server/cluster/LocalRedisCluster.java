package io.testsync.server.cluster;

import io.testsync.testkit.RedisProcess;
import org.awaitility.Awaitility;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A real Redis Cluster for tests: three redis-server processes with {@code cluster-enabled yes}, the
 * 16384 slots split in three ranges (CLUSTER ADDSLOTS), introduced to each other (CLUSTER MEET), and
 * ready once every node reports {@code cluster_state:ok} and knows the other two. Masters only, no
 * replicas. {@link #call} sends a command to the node that owns its key, as a cluster client would.
 */
public final class LocalRedisCluster implements AutoCloseable {
    public static final int SLOTS = 16_384;
    private final List<RedisProcess> nodes;

    private LocalRedisCluster(List<RedisProcess> nodes) {
        this.nodes = List.copyOf(nodes);
    }

    /** Three nodes in {@code dir}/node-1..3, the cluster formed and ready. */
    public static LocalRedisCluster start(Path dir) {
        List<RedisProcess> started = new ArrayList<>();
        try {
            for (int i = 1; i <= 3; i++) {
                started.add(RedisProcess.start(dir.resolve("node-" + i), "cluster-enabled yes",
                        "cluster-config-file nodes.conf", "cluster-node-timeout 5000"));
            }
            for (int i = 0; i < started.size(); i++) {
                int from = i * SLOTS / started.size();
                int to = (i + 1) * SLOTS / started.size();
                List<String> args = new ArrayList<>(List.of("CLUSTER", "ADDSLOTS"));
                for (int slot = from; slot < to; slot++) args.add(Integer.toString(slot));
                started.get(i).call(args.toArray(String[]::new));
            }
            for (RedisProcess other : started.subList(1, started.size())) {
                started.get(0).call("CLUSTER", "MEET", "127.0.0.1", Integer.toString(other.port()));
            }
            LocalRedisCluster cluster = new LocalRedisCluster(started);
            Awaitility.await("the Redis Cluster is formed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(cluster::ready);
            return cluster;
        } catch (RuntimeException | Error e) {
            started.forEach(RedisProcess::close);
            throw e;
        }
    }

    private boolean ready() {
        for (RedisProcess node : nodes) {
            String info = (String) node.call("CLUSTER", "INFO");
            if (!info.contains("cluster_state:ok") || !info.contains("cluster_known_nodes:" + nodes.size())
                    || !info.contains("cluster_slots_ok:" + SLOTS)) return false;
        }
        return true;
    }

    /** {@code redis-cluster://127.0.0.1:<port>,...} naming every node, as cluster.redis_url takes it. */
    public String url() {
        return "redis-cluster://" + nodes.stream().map(n -> "127.0.0.1:" + n.port()).collect(Collectors.joining(","));
    }

    public List<RedisProcess> nodes() {
        return nodes;
    }

    /** The node that owns {@code key}'s slot. */
    public RedisProcess nodeOf(String key) {
        return nodes.get(slot(key) * nodes.size() / SLOTS);
    }

    /**
     * One command: KEYS and FLUSHALL go to every node (KEYS answers the keys of all), any other to the
     * node that owns its first key ({@code args[1]}).
     */
    public Object call(String... args) {
        String command = args[0].toUpperCase(java.util.Locale.ROOT);
        if (command.equals("KEYS")) {
            List<Object> all = new ArrayList<>();
            for (RedisProcess node : nodes) all.addAll((List<?>) node.call(args));
            return all;
        }
        if (command.equals("FLUSHALL")) {
            Object last = null;
            for (RedisProcess node : nodes) last = node.call(args);
            return last;
        }
        return nodeOf(args[1]).call(args);
    }

    /** Redis Cluster's slot of a key: CRC16 (XMODEM) of its hash tag, or of the whole key, mod 16384. */
    public static int slot(String key) {
        int open = key.indexOf('{');
        if (open >= 0) {
            int close = key.indexOf('}', open + 1);
            if (close > open + 1) key = key.substring(open + 1, close);
        }
        int crc = 0;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            crc ^= (b & 0xff) << 8;
            for (int i = 0; i < 8; i++) crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
        }
        return (crc & 0xffff) % SLOTS;
    }

    @Override
    public void close() {
        nodes.forEach(RedisProcess::close);
    }
}
