package io.testsync.bench.scenario;

import io.testsync.bench.load.Await;
import io.testsync.bench.load.Lanes;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/** One checkpoint round of the barrier scenario: every agent joins, and every release is awaited. */
final class Round {
    /** Past the joins' own 30 s timeout: by then the server has released everybody, one way or the other. */
    private static final long WAIT_SECONDS = 40;

    private final AtomicInteger waiting;
    private final AtomicLongArray lastSentPerLane;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicReference<String> unexpected = new AtomicReference<>();

    private Round(int agents, int lanes) {
        this.waiting = new AtomicInteger(agents);
        this.lastSentPerLane = new AtomicLongArray(lanes);
    }

    void heardFrom() {
        if (waiting.decrementAndGet() == 0) done.complete(null);
    }

    void unexpected(String text) {
        unexpected.compareAndSet(null, text);
    }

    /** What a round measured: when the last join left, when each release arrived, whether all were "finished". */
    record Result(long lastJoinSent, long[] releasedAt, boolean allReleased) {
        long skewNanos() {
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (long t : releasedAt) {
                first = Math.min(first, t);
                last = Math.max(last, t);
            }
            return last - first;
        }
    }

    /** Plays rounds with a fixed fleet; each lane sends the joins of its own agents. */
    static final class Driver {
        private final Lanes lanes;
        private final List<List<Agent>> byLane = new ArrayList<>();
        private final List<Agent> fleet;
        private final int target;

        Driver(Lanes lanes, List<Agent> fleet, int target) {
            this.lanes = lanes;
            this.fleet = fleet;
            this.target = target;
            for (int l = 0; l < lanes.size(); l++) byLane.add(new ArrayList<>());
            for (Agent a : fleet) byLane.get(lanes.laneOf(a.index)).add(a);
        }

        Result play(String identifier) {
            Round round = new Round(fleet.size(), lanes.size());
            for (int l = 0; l < lanes.size(); l++) {
                int lane = l;
                lanes.get(l).runOnContext(v -> {
                    long last = 0;
                    for (Agent a : byLane.get(lane)) last = a.join(round, identifier, target);
                    round.lastSentPerLane.set(lane, last);
                });
            }
            Await.on(round.done, WAIT_SECONDS, TimeUnit.SECONDS, () -> "releases of checkpoint " + identifier
                    + " (" + round.waiting.get() + " of " + fleet.size() + " agents not released"
                    + (round.unexpected.get() == null ? "" : "; unexpected frame: " + round.unexpected.get()) + ")");
            long lastSent = Long.MIN_VALUE;
            for (int l = 0; l < lanes.size(); l++) {
                if (!byLane.get(l).isEmpty()) lastSent = Math.max(lastSent, round.lastSentPerLane.get(l));
            }
            long[] released = new long[fleet.size()];
            boolean all = true;
            for (int i = 0; i < released.length; i++) {
                released[i] = fleet.get(i).releasedAt;
                all &= fleet.get(i).finished;
            }
            return new Result(lastSent, released, all && round.unexpected.get() == null);
        }
    }
}
