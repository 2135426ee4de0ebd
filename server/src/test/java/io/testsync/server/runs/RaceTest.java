package io.testsync.server.runs;

import io.testsync.server.runs.Attach.Attached;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;

/** What the race tests share: real thread pools stopped after each test, and a registry on a fake clock. */
abstract class RaceTest {

    static final long START = 1_700_000_000_000L;
    static final long LEAD = 500;

    private final List<ExecutorService> pools = new ArrayList<>();

    ExecutorService pool(int threads) {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        pools.add(pool);
        return pool;
    }

    @AfterEach
    void stopPools() {
        pools.forEach(ExecutorService::shutdownNow);
    }

    static RunRegistry registry(FakeScheduler scheduler, int maxRuns, int maxPerRun, int maxConnections) {
        return new RunRegistry(scheduler, new RunRegistry.Settings(LEAD, 600_000, maxRuns, maxPerRun, maxConnections, 100));
    }

    static Run attach(RunRegistry registry, String testId, Member member) {
        return ((Attached) registry.attach(testId, member)).run();
    }
}
