package io.testsync.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How long and how big each scenario runs. {@link #STANDARD} is the set whose figures count
 * (three repetitions, medians, under ten minutes on two cores); {@link #QUICK} is for a look
 * while working; {@link #SMOKE} is what {@code mvn verify} runs to prove the bench still works.
 *
 * @param runs             repetitions per scenario; rows report their medians
 * @param firstWarmup      traffic before the first repetition on a fresh server counts: its JIT is still at work
 * @param warmup           traffic before each later repetition counts
 * @param measure          how long a figure and its limit are each counted, in alternating slices
 * @param slice            the length of one slice (see Interleave in the scenarios)
 * @param barrierRounds    agents per checkpoint -> measured rounds (the warm-up before them is by time)
 * @param idleConnections  idle WebSockets whose memory is measured, spread over {@code idleRuns} runs
 * @param clientAgents     Java clients (one thread each) meeting at each checkpoint of the client row
 * @param clientRounds     measured checkpoint rounds of the client row
 * @param counterConnections agents in the closed loop of {@code counter} (and of the same-run {@code get_connection_count})
 * @param fanoutSubscribers  subscribers of the one topic that each {@code publish} is fanned out to
 * @param fanoutRounds       measured publishes per repetition (the warm-up before them is by time)
 * @param adminRuns          runs held in memory while {@code GET /api/v1/runs} lists them
 * @param adminRequests      measured listings per repetition
 * @param clusterAgents      agents meeting at each checkpoint of the cluster row, dealt over its three nodes
 * @param clusterRounds      measured checkpoint rounds of the cluster row per repetition (after a warm-up by time)
 */
public record Profile(String name, int runs, Duration firstWarmup, Duration warmup, Duration measure, Duration slice,
                      Map<Integer, Integer> barrierRounds,
                      List<Integer> rttConnections, int dataConnections, int httpConnections,
                      int idleConnections, int idleRuns, int clientAgents, int clientRounds,
                      int counterConnections, int fanoutSubscribers, int fanoutRounds,
                      int adminRuns, int adminRequests, int clusterAgents, int clusterRounds) {

    public static final Profile STANDARD = new Profile("standard", 3,
            Duration.ofSeconds(6), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofMillis(500),
            rounds(10, 500, 100, 300, 1000, 100), List.of(1, 16, 256), 16, 16, 10_000, 100, 1000, 20,
            256, 1000, 200, 10_000, 30, 1000, 30);

    public static final Profile QUICK = new Profile("quick", 1,
            Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofMillis(1500), Duration.ofMillis(250),
            rounds(10, 60, 100, 30, 1000, 10), List.of(1, 16, 256), 16, 16, 2_000, 20, 1000, 5,
            256, 1000, 30, 1000, 10, 1000, 10);

    public static final Profile SMOKE = new Profile("smoke", 1,
            Duration.ofMillis(250), Duration.ofMillis(250), Duration.ofMillis(750), Duration.ofMillis(250),
            rounds(10, 5, 100, 5, 1000, 3), List.of(1, 16, 256), 16, 16, 200, 4, 100, 2,
            256, 1000, 5, 100, 3, 100, 3);

    /** The warm-up before repetition {@code r} (1-based) of a scenario on the same server. */
    public Duration warmupBefore(int repetition) {
        return repetition == 1 ? firstWarmup : warmup;
    }

    public Profile withRuns(int newRuns) {
        return new Profile(name, newRuns, firstWarmup, warmup, measure, slice, barrierRounds, rttConnections, dataConnections,
                httpConnections, idleConnections, idleRuns, clientAgents, clientRounds, counterConnections, fanoutSubscribers, fanoutRounds,
                adminRuns, adminRequests, clusterAgents, clusterRounds);
    }

    private static Map<Integer, Integer> rounds(int... agentsThenRounds) {
        Map<Integer, Integer> m = new LinkedHashMap<>();
        for (int i = 0; i < agentsThenRounds.length; i += 2) m.put(agentsThenRounds[i], agentsThenRounds[i + 1]);
        return java.util.Collections.unmodifiableMap(m);
    }
}
