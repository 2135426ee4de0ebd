package io.testsync.faults;

import io.testsync.testkit.Received;
import io.testsync.testkit.ServerJar;
import io.testsync.testkit.WsClient;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The v1 agents of one run, spread round robin over cluster nodes (agent i on node i mod n), that go
 * through checkpoints together; every join they send and every release they receive goes into the
 * run's {@link ReleaseLog}.
 */
final class CheckpointFleet implements AutoCloseable {
    /** One agent: its name, the index of its node, its connection. */
    record Agent(String name, int node, WsClient ws) {}

    final String run;
    final List<Agent> agents;
    final ReleaseLog log;
    private final boolean failOnLeave;
    private final long timeoutMs;

    private CheckpointFleet(String run, List<Agent> agents, boolean failOnLeave, long timeoutMs) {
        this.run = run;
        this.agents = agents;
        this.failOnLeave = failOnLeave;
        this.timeoutMs = timeoutMs;
        this.log = new ReleaseLog(run);
    }

    /** Connects {@code count} agents named {@code <prefix>-000} … at once; each has had its welcome. */
    static CheckpointFleet connect(List<ServerJar> nodes, String run, String prefix, int count, boolean failOnLeave, long timeoutMs) {
        List<CompletableFuture<WsClient>> connecting = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ServerJar node = nodes.get(i % nodes.size());
            String name = String.format("%s-%03d", prefix, i);
            names.add(name);
            connecting.add(WsClient.to(node.ws("/register/" + run)).agent(name).subprotocols("testsync.v1")
                    .authorization(node.authorization()).connectAsync());
        }
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < count; i++) agents.add(new Agent(names.get(i), i % nodes.size(), connecting.get(i).join()));
        CheckpointFleet fleet = new CheckpointFleet(run, agents, failOnLeave, timeoutMs);
        try {
            for (Agent a : agents) {
                assertThat(a.ws().nextText()).startsWith("{\"command\":\"welcome\",\"content\":{\"protocol\":\"testsync.v1\",\"run\":\""
                        + run + "\",\"agent\":\"" + a.name() + "\",");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return fleet;
    }

    List<Agent> where(Predicate<Agent> which) {
        return agents.stream().filter(which).toList();
    }

    /** Sends every join of {@code identifier} without waiting for anything; id = identifier. */
    void join(List<Agent> who, String identifier, int target) throws Exception {
        String frame = "{\"command\":\"wait_checkpoint\",\"id\":\"" + identifier + "\",\"content\":{\"identifier\":\"" + identifier
                + "\",\"target_count\":" + target + ",\"timeout_ms\":" + timeoutMs + ",\"fail_on_leave\":" + failOnLeave + "}}";
        for (Agent a : who) {
            log.joinSending(identifier, System.nanoTime());
            a.ws().send(frame);
        }
    }

    /**
     * Joins one agent after another, each confirmed by a get_connection_count round trip (answered after
     * the join was taken), so the checkpoint's members are exactly {@code who}, in this order.
     */
    void joinOneByOne(List<Agent> who, String identifier, int target, int expectedCount) throws Exception {
        for (Agent a : who) {
            join(List.of(a), identifier, target);
            assertThat(count(a)).as("%s/%s: the count after its join", run, a.name()).isEqualTo(expectedCount);
        }
    }

    /** The next frame of each agent, which must be a release of {@code identifier}; recorded. */
    List<ReleaseLog.Release> releases(List<Agent> who, String identifier) throws InterruptedException {
        List<ReleaseLog.Release> got = new ArrayList<>();
        for (Agent a : who) {
            Received r = a.ws().next();
            assertThat(r).as("%s/%s: expected the release of %s", run, a.name(), identifier).isInstanceOf(Received.Text.class);
            ReleaseLog.Release release = log.received(a.name(), ((Received.Text) r).text(), r.atNanos());
            assertThat(release.identifier()).as("%s/%s: %s", run, a.name(), release.text()).isEqualTo(identifier);
            got.add(release);
        }
        return got;
    }

    /** A whole round: everyone in {@code who} joins, and every one of them is released, complete. */
    void round(List<Agent> who, String identifier) throws Exception {
        join(who, identifier, who.size());
        for (ReleaseLog.Release r : releases(who, identifier)) {
            assertThat(r.text()).as("%s/%s", run, r.agent()).startsWith("{\"command\":\"wait_checkpoint\",\"id\":\"" + identifier
                    + "\",\"content\":{\"identifier\":\"" + identifier + "\",\"finished\":true,\"reason\":\"complete\",\"joined\":"
                    + who.size() + ",\"target\":" + who.size() + ",\"start_at\":");
        }
    }

    /**
     * get_connection_count asked and answered; the answer must be the next frame (so no release or other
     * frame was due to this agent before it).
     */
    static int count(Agent a) throws Exception {
        a.ws().send("{\"command\":\"get_connection_count\",\"id\":\"n\"}");
        String reply = a.ws().nextText();
        String head = "{\"command\":\"get_connection_count\",\"id\":\"n\",\"content\":{\"count\":";
        if (!reply.startsWith(head) || !reply.endsWith("}}")) {
            throw new AssertionError(a.name() + ": expected the reply to get_connection_count next, got " + reply);
        }
        return Integer.parseInt(reply.substring(head.length(), reply.length() - 2));
    }

    @Override
    public void close() {
        for (Agent a : agents) a.ws().abort();
    }
}
