package io.testsync.faults;

import io.testsync.testkit.RedisProcess;
import io.testsync.testkit.ServerJar;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A TestSync cluster (SPEC §11) as a user runs it: server jars named node-1, node-2, … sharing one
 * Redis for storage and coordination, each in a directory of its own, started side by side.
 */
final class ClusterNodes {
    private ClusterNodes() {
    }

    /** The environment of node {@code n} (README "Running several nodes"), with its lease. */
    static Map<String, String> env(RedisProcess redis, int n, long leaseMs) {
        return Map.of("TESTSYNC_STORAGE_TYPE", "redis", "TESTSYNC_STORAGE_REDIS_URL", redis.url(),
                "TESTSYNC_CLUSTER_REDIS_URL", redis.url(), "TESTSYNC_CLUSTER_NODE_ID", "node-" + n,
                "TESTSYNC_CLUSTER_NODE_LEASE_MS", Long.toString(leaseMs));
    }

    /** Starts node-1 … node-{@code count} at once; returns them in that order once every /health answers. */
    static List<ServerJar> start(Path dir, RedisProcess redis, int count, long leaseMs) {
        List<CompletableFuture<ServerJar>> starting = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            int node = n;
            starting.add(CompletableFuture.supplyAsync(() -> FaultServer.start(dir.resolve("node-" + node), env(redis, node, leaseMs))));
        }
        List<ServerJar> nodes = new ArrayList<>();
        RuntimeException failed = null;
        for (CompletableFuture<ServerJar> s : starting) {
            try {
                nodes.add(s.join());
            } catch (RuntimeException e) {
                failed = e;
            }
        }
        if (failed != null) {
            stop(nodes);
            throw failed;
        }
        return nodes;
    }

    /** The nodes' logs, for a failing test's report: what each node said about leases, Redis and evictions. */
    static void printLogs(List<ServerJar> nodes) {
        for (int i = 0; i < nodes.size(); i++) {
            System.out.println("---- node-" + (i + 1) + " log ----");
            System.out.println(nodes.get(i).logText());
        }
    }

    static void stop(List<ServerJar> nodes) {
        for (ServerJar node : nodes) {
            try {
                node.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
