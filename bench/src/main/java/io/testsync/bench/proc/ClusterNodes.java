package io.testsync.bench.proc;

import io.testsync.bench.load.Endpoint;
import io.testsync.testkit.RedisProcess;

import java.util.ArrayList;
import java.util.List;

/**
 * A TestSync cluster of the bench (SPEC §11): one real {@code redis-server} in the work directory
 * and N server jars in cluster mode on it, {@code node-1} to {@code node-N}. Closing stops the nodes
 * first, then Redis, so no node spends its shutdown reconnecting.
 */
public final class ClusterNodes implements AutoCloseable {
    private final RedisProcess redis;
    private final List<Launched> nodes;

    private ClusterNodes(RedisProcess redis, List<Launched> nodes) {
        this.redis = redis;
        this.nodes = nodes;
    }

    /** Redis, then {@code count} nodes on it, each up (answering /health) before the next starts. */
    public static ClusterNodes start(Launcher launcher, int count, String name) {
        RedisProcess redis = RedisProcess.start(launcher.workDir().resolve(name + "-redis"));
        List<Launched> nodes = new ArrayList<>();
        try {
            for (int i = 1; i <= count; i++) nodes.add(launcher.clusterNode(redis.url(), "node-" + i));
        } catch (RuntimeException e) {
            new ClusterNodes(redis, nodes).close();
            throw e;
        }
        return new ClusterNodes(redis, List.copyOf(nodes));
    }

    public List<Launched> nodes() {
        return nodes;
    }

    /** Where agents connect, node by node. */
    public List<Endpoint> endpoints() {
        return nodes.stream().map(Launched::endpoint).toList();
    }

    /** Throws, naming it, when a node or Redis has died: its figures would be void. */
    public void requireAlive() {
        for (Launched node : nodes) node.process().requireAlive();
        if (!redis.isRunning()) throw new IllegalStateException("redis-server on port " + redis.port() + " has exited");
    }

    @Override
    public void close() {
        for (Launched node : nodes) node.close();
        redis.close();
    }
}
