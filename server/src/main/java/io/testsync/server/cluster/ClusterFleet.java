package io.testsync.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.testsync.server.admin.Fleet;
import io.testsync.server.admin.RunDetail;
import io.testsync.server.admin.RunSummary;
import io.testsync.server.admin.Snapshots;
import io.testsync.server.runs.MemberInfo;
import io.testsync.server.runs.RunSnapshot;
import io.testsync.server.store.DataStore;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The {@link Fleet} of a cluster (SPEC §10 on §11): every node answers for the whole cluster from Redis,
 * the run set ({@link ClusterRuns}) and each run's keys, read by the management script in one call per run.
 * An operator's removal of a connection is asked of the node that holds it ({@link NodeControl}); a release
 * is one decision of the coordination script, delivered over the run's channel like any release.
 *
 * <p>Change notifications: the run channels carry releases, messages and grants, not arrivals, leaves or
 * counters, and a node with no member in a run does not read them; so while a live page is open on this
 * node (a listener is registered) it polls the summaries of the cluster's runs every {@link #POLL_MS} and
 * reports those that differ from the previous poll, gone runs included. A node without open pages reads
 * nothing.
 */
public final class ClusterFleet implements Fleet, AutoCloseable {
    static final long POLL_MS = 500;
    static final int REMOVED_CODE = 4001;
    static final String REMOVED_REASON = "removed by operator";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Comparator<RunSummary> MOST_RECENT_FIRST =
            Comparator.comparingLong(RunSummary::lastActivityMs).reversed().thenComparing(RunSummary::id);

    private final RedisCoordinator c;
    private final DataStore store;
    private final NodeControl control;
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();
    /** Per run, what the last poll saw (summary fields and data write time); on the coordinator's context. */
    private Map<String, List<Long>> seen = new HashMap<>();
    private long timer = -1;
    private boolean polling;

    public ClusterFleet(RedisCoordinator coordinator, DataStore store) {
        this.c = coordinator;
        this.store = store;
        this.control = new NodeControl(coordinator);
    }

    /** Data written through this node changed a run: reported at once (other nodes' writes come with the poll). */
    @Override
    public void dataChanged(String testId) {
        for (Consumer<String> l : listeners) l.accept(testId);
    }

    /** One run's summary as the management script reads it, or null when the run is not held. */
    private Future<List<Long>> summary(String testId) {
        return c.link.evalScript(Scripts.ADMIN, List.of(RunKeys.key(testId, "")), List.of("summary")).map(r -> {
            List<Long> values = new ArrayList<>(r.size());
            for (Response v : r) values.add(v.toLong());
            return values;
        });
    }

    private static RunSummary row(String id, List<Long> s) {
        return new RunSummary(id, s.get(0).intValue(), s.get(1).intValue(), s.get(2));
    }

    /** Summaries of {@code ids}, those that are held only. */
    private Future<Map<String, List<Long>>> summaries(Collection<String> ids) {
        List<String> order = new ArrayList<>(ids);
        List<Future<List<Long>>> reads = new ArrayList<>(order.size());
        for (String id : order) reads.add(summary(id));
        return Future.all(reads).map(all -> {
            Map<String, List<Long>> out = new LinkedHashMap<>();
            for (int i = 0; i < order.size(); i++) out.put(order.get(i), all.<List<Long>>resultAt(i));
            return out;
        });
    }

    @Override
    public CompletionStage<List<RunSummary>> runs() {
        return c.runs.ids().compose(this::summaries).map(all -> {
            List<RunSummary> rows = new ArrayList<>(all.size());
            all.forEach((id, s) -> rows.add(row(id, s)));
            rows.sort(MOST_RECENT_FIRST);
            return rows;
        }).toCompletionStage();
    }

    @Override
    public CompletionStage<List<RunSummary>> runs(Collection<String> ids) {
        List<Future<Boolean>> held = new ArrayList<>();
        List<String> order = new ArrayList<>(ids);
        for (String id : order) held.add(c.runs.holds(id));
        return Future.all(held).compose(all -> {
            List<String> present = new ArrayList<>();
            for (int i = 0; i < order.size(); i++) if (all.<Boolean>resultAt(i)) present.add(order.get(i));
            return summaries(present);
        }).map(all -> {
            List<RunSummary> rows = new ArrayList<>(all.size());
            all.forEach((id, s) -> rows.add(row(id, s)));
            return rows;
        }).toCompletionStage();
    }

    @Override
    public CompletionStage<Optional<RunDetail>> run(String testId) {
        CompletableFuture<Optional<StoredSize>> data = store.get(testId)
                .thenApply(d -> d.map(x -> new StoredSize(x.bytes().length, x.contentType())));
        Future<Response> state = c.link.evalScript(Scripts.ADMIN, List.of(RunKeys.key(testId, "")), List.of("detail"));
        return state.toCompletionStage().thenCombine(data, (json, d) -> {
            RunSnapshot snapshot = snapshot(testId, json.toString());
            if (snapshot == null && d.isEmpty()) return Optional.<RunDetail>empty();
            RunDetail.Data shown = d.map(x -> new RunDetail.Data(x.bytes, x.contentType)).orElse(null);
            return Optional.of(Snapshots.detail(testId, snapshot, shown, c.nodeId));
        });
    }

    private record StoredSize(long bytes, String contentType) {}

    /** The management script's detail as a snapshot of the run; null when the run has no state in Redis. */
    private static RunSnapshot snapshot(String testId, String json) {
        JsonNode d;
        try {
            d = JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("the management script answered no JSON: " + e.getMessage(), e);
        }
        if (d.path("held").asInt() == 0) return null;
        List<MemberInfo> agents = new ArrayList<>();
        for (JsonNode a : list(d.path("agents"))) {
            agents.add(ConnectionInfo.parse(a.path("c").asText(), a.path("a").asText(), a.path("n").asText(), a.path("i").asText()));
        }
        List<RunSnapshot.CheckpointView> checkpoints = new ArrayList<>();
        for (JsonNode cp : list(d.path("cps"))) {
            boolean waiting = "waiting".equals(cp.path("s").asText());
            long deadline = cp.path("d").asLong();
            long start = cp.path("st").asLong();
            checkpoints.add(new RunSnapshot.CheckpointView(cp.path("i").asText(), waiting ? "waiting" : "complete",
                    cp.path("t").asInt(), cp.path("j").asInt(), strings(cp.path("ja")), List.of(), false,
                    waiting && deadline > 0 ? deadline : null, waiting || start == 0 ? null : start));
        }
        List<RunSnapshot.TopicView> topics = new ArrayList<>();
        for (JsonNode t : list(d.path("topics"))) {
            topics.add(new RunSnapshot.TopicView(t.path("t").asText(), t.path("m").asInt(), t.path("s").asInt()));
        }
        List<RunSnapshot.LockView> locks = new ArrayList<>();
        for (JsonNode l : list(d.path("locks"))) {
            List<MemberInfo> waiting = new ArrayList<>();
            for (JsonNode w : list(l.path("w"))) waiting.add(holder(w));
            JsonNode h = l.path("h");
            locks.add(new RunSnapshot.LockView(l.path("n").asText(), h.isObject() && h.has("c") ? holder(h) : null, waiting,
                    l.path("f").asLong()));
        }
        locks.sort(Comparator.comparing(RunSnapshot.LockView::name));
        topics.sort(Comparator.comparing(RunSnapshot.TopicView::topic));
        return new RunSnapshot(testId, agents, checkpoints, pairs(d.path("counters")), pairs(d.path("states")), topics, locks, 0);
    }

    private static MemberInfo holder(JsonNode h) {
        String conn = h.path("c").asText();
        return new MemberInfo(conn.substring(conn.indexOf('/') + 1), h.path("a").asText(), null, null, 0, null);
    }

    /** cjson writes an empty list as {}: both are read as empty. */
    private static List<JsonNode> list(JsonNode node) {
        List<JsonNode> out = new ArrayList<>();
        if (node.isArray()) node.forEach(out::add);
        return out;
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        for (JsonNode n : list(node)) out.add(n.asText());
        return out;
    }

    /** HGETALL's flat name, value list as a map of numbers. */
    private static Map<String, Long> pairs(JsonNode flat) {
        Map<String, Long> out = new HashMap<>();
        List<JsonNode> items = list(flat);
        for (int i = 0; i + 1 < items.size(); i += 2) out.put(items.get(i).asText(), Long.parseLong(items.get(i + 1).asText()));
        return out;
    }

    @Override
    public CompletionStage<Outcome> release(String testId, String checkpoint) {
        return c.runs.holds(testId).compose(held -> !held ? Future.succeededFuture(Outcome.missing(Missing.RUN))
                : c.link.evalScript(Scripts.COORDINATION, List.of(RunKeys.key(testId, "")),
                        List.of("operator_release", checkpoint, Long.toString(c.settings.releaseLeadMs()))).map(r -> {
                    long n = r.toLong();
                    if (n < 0) return Outcome.missing(Missing.CHECKPOINT);
                    dataChanged(testId);
                    return Outcome.done((int) n);
                })).toCompletionStage();
    }

    @Override
    public CompletionStage<Outcome> kick(String testId, String connection) {
        return c.runs.holds(testId).compose(held -> {
            if (!held) return Future.succeededFuture(Outcome.missing(Missing.RUN));
            return c.link.evalScript(Scripts.ADMIN, List.of(RunKeys.key(testId, "")), List.of("find", connection)).compose(found -> {
                // connection ids are made per node: the same id on two nodes is ambiguous, and removes neither
                if (found.size() != 2) return Future.succeededFuture(Outcome.missing(Missing.CONNECTION));
                return control.close(found.get(1).toString(), List.of(found.get(0).toString()), REMOVED_CODE, REMOVED_REASON)
                        .map(heard -> Outcome.done(0));
            });
        }).toCompletionStage();
    }

    @Override
    public CompletionStage<Outcome> delete(String testId) {
        String prefix = RunKeys.key(testId, "");
        Future<Boolean> state = c.runs.holds(testId).compose(held -> c.link.evalScript(Scripts.ADMIN, List.of(prefix), List.of("nodes"))
                .compose(nodes -> {
                    Map<String, List<String>> byNode = new HashMap<>();
                    for (int i = 0; i + 1 < nodes.size(); i += 2) {
                        byNode.computeIfAbsent(nodes.get(i + 1).toString(), n -> new ArrayList<>()).add(nodes.get(i).toString());
                    }
                    List<Future<Long>> closes = new ArrayList<>();
                    byNode.forEach((node, conns) -> closes.add(control.close(node, conns, REMOVED_CODE, REMOVED_REASON)));
                    return Future.all(closes);
                })
                .compose(v -> c.runs.forget(testId))
                .compose(v -> c.link.evalScript(Scripts.ADMIN, List.of(prefix), List.of("purge", "-1")))
                .map(v -> held));
        return state.toCompletionStage().thenCombine(store.delete(testId), (hadState, hadData) -> {
            if (hadState || hadData) dataChanged(testId);
            return hadState || hadData ? Outcome.done(0) : Outcome.missing(Missing.RUN);
        });
    }

    @Override
    public AutoCloseable onChange(Consumer<String> listener) {
        listeners.add(listener);
        c.onContext(this::startPolling);
        return () -> listeners.remove(listener);
    }

    private void startPolling() {
        if (timer < 0) timer = c.vertx.setPeriodic(POLL_MS, id -> c.onContext(this::poll));
    }

    /** Reports the runs whose summary changed since the last poll; on the coordinator's context. */
    private void poll() {
        if (listeners.isEmpty()) {
            c.vertx.cancelTimer(timer);
            timer = -1;
            seen = new HashMap<>();
            return;
        }
        if (polling) return;
        polling = true;
        c.runs.ids().compose(this::summaries).onComplete(done -> c.onContext(() -> {
            polling = false;
            if (done.failed()) return;
            Map<String, List<Long>> now = done.result();
            Set<String> changed = new java.util.HashSet<>();
            now.forEach((id, s) -> {
                if (!s.equals(seen.get(id))) changed.add(id);
            });
            for (String id : seen.keySet()) if (!now.containsKey(id)) changed.add(id);
            seen = now;
            for (String id : changed) dataChanged(id);
        }));
    }

    /** Stops listening for requests of other nodes. */
    @Override
    public void close() {
        c.onContext(() -> {
            if (timer >= 0) c.vertx.cancelTimer(timer);
        });
        control.close();
    }
}
