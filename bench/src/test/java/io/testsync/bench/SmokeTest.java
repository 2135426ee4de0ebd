package io.testsync.bench;

import io.testsync.bench.Measure.Keys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scenario, briefly (the SMOKE profile), against the server jar that the reactor built just
 * before this module: proves the bench still runs and produces sane rows. It asserts no speed;
 * the figures of a two-second run mean nothing.
 */
class SmokeTest {
    private static final Path SERVER_JAR = Path.of(System.getProperty("testsync.server.jar", "../server/target/testsync.jar"));

    @TempDir
    static Path work;

    static Map<String, Row> rows;

    @BeforeAll
    static void runEveryScenario() {
        assertThat(SERVER_JAR).as("the server jar; build it first with `mvn -DskipTests package -pl server`").isRegularFile();
        List<Row> all = Suite.run(Profile.SMOKE, Suite.all(), SERVER_JAR, work, System.err, r -> { });
        System.err.print(Table.render(all));
        rows = all.stream().collect(Collectors.toMap(Row::name, Function.identity()));
    }

    @Test
    void everyScenarioProducedRowsWithoutErrors() {
        assertThat(rows.keySet()).contains("startup", "barrier n=10", "barrier n=100", "barrier n=1000",
                "rtt c=1", "rtt c=16", "rtt c=256", "counter c=256", "publish fanout n=1000", "lock handover 2 agents",
                "data 1KiB c=16", "http memory c=16", "durable sqlite c=16", "client checkpoint n=100", "admin list runs=100",
                "cluster checkpoint 100 agents 3 nodes", "cluster counter c=256 3 nodes", "idle conns=200");
        assertThat(rows.values()).allSatisfy(r -> {
            assertThat(r.error()).as(r.name() + " error").isNull();
            assertThat(r.value(Keys.ERRORS) == null ? 0.0 : r.value(Keys.ERRORS)).as(r.name() + " wrong answers").isZero();
            assertThat(r.verdict()).isIn("PASS", "MISS", "-");
        });
    }

    @Test
    void startupTimesBothServers() {
        Row r = rows.get("startup");
        assertThat(r.value(Keys.FIGURE)).isPositive();
        assertThat(r.value(Keys.LIMIT)).isPositive();
    }

    @Test
    void barrierReleasesEveryRoundAgainstServerAndFloor() {
        for (String n : List.of("10", "100", "1000")) {
            Row r = rows.get("barrier n=" + n);
            assertThat(r.value("rounds")).as(r.name()).isPositive();
            assertThat(r.value("rounds_released")).as(r.name()).isEqualTo(r.value("rounds"));
            assertThat(r.value(Keys.P99)).as(r.name()).isPositive();
            assertThat(r.value(Keys.LIMIT)).as(r.name()).isPositive();
            assertThat(r.value(Keys.MAX)).as(r.name()).isGreaterThanOrEqualTo(r.value(Keys.P50));
        }
    }

    @Test
    void closedLoopsCountedVerifiedAnswers() {
        for (String name : List.of("rtt c=1", "rtt c=16", "rtt c=256", "counter c=256", "data 1KiB c=16", "http memory c=16",
                "durable sqlite c=16")) {
            Row r = rows.get(name);
            assertThat(r.value(Keys.FIGURE)).as(name + " figure").isPositive();
            assertThat(r.value(Keys.LIMIT)).as(name + " limit").isPositive();
            assertThat(r.value(Keys.RATIO)).as(name + " ratio").isPositive();
            assertThat(r.value(Keys.P99)).as(name + " p99").isPositive();
        }
        assertThat(rows.get("data 1KiB c=16").value("verified_bytes")).isPositive();
    }

    @Test
    void durableRowSaysWhereTheCpuGoes() {
        Row r = rows.get("durable sqlite c=16");
        assertThat(r.value("server_cpu_us_per_req")).isPositive();
        assertThat(r.value("memory_server_cpu_us_per_req")).isPositive();
        // NaN when /proc could not be read, which fails here as it should
        assertThat(r.value("sqlite_threads_cpu_us_per_write")).isGreaterThanOrEqualTo(0.0);
        assertThat(r.value("fsync_cpu_us")).isGreaterThanOrEqualTo(0.0);
        assertThat(r.value("fsync_p50_ms")).isPositive();
        assertThat(r.value("writes_per_commit")).as("from the server's /metrics").isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void clientCheckpointMeasuredSkewAgainstTheParkedThreadsFloor() {
        Row r = rows.get("client checkpoint n=100");
        assertThat(r.value("rounds")).isEqualTo(2.0);
        assertThat(r.value(Keys.FIGURE)).isPositive();
        assertThat(r.value(Keys.LIMIT)).isPositive();
        assertThat(r.value("skew_max_ms")).isGreaterThanOrEqualTo(r.value(Keys.FIGURE));
        assertThat(r.value(Keys.P50)).as("lateness: no agent returns before its resume instant").isGreaterThanOrEqualTo(0.0);
    }

    @Test
    void counterHoldsEveryAdditionSent() {
        assertThat(rows.get("counter c=256").value("verified_additions")).isPositive();
    }

    @Test
    void publishReachesEverySubscriberOfServerAndFloor() {
        Row r = rows.get("publish fanout n=1000");
        assertThat(r.value("rounds")).isPositive();
        assertThat(r.value(Keys.P99)).isPositive();
        assertThat(r.value(Keys.LIMIT)).isPositive();
        assertThat(r.value(Keys.MAX)).isGreaterThanOrEqualTo(r.value(Keys.P50));
    }

    @Test
    void lockIsHandedOverWithGrowingFences() {
        Row r = rows.get("lock handover 2 agents");
        assertThat(r.value(Keys.FIGURE)).isPositive();
        assertThat(r.value("last_fence")).isGreaterThanOrEqualTo(2);
        assertThat(r.value(Keys.LIMIT)).isNull();
        assertThat(r.verdict()).isEqualTo("-");
    }

    @Test
    void adminListedEveryHeldRunWhileTheProbeWasAnswered() {
        Row r = rows.get("admin list runs=100");
        assertThat(r.value("listings")).isEqualTo(3.0);
        assertThat(r.value(Keys.P99)).isPositive();
        assertThat(r.value(Keys.MAX)).isGreaterThanOrEqualTo(r.value(Keys.P50));
        assertThat(r.value("probe_p99_quiet_ms")).isPositive();
        assertThat(r.value("probe_p99_listing_ms")).isPositive();
        assertThat(r.value("probe_answers_listing")).isPositive();
        assertThat(r.value(Keys.LIMIT)).isNull();
    }

    @Test
    void clusterReleasedEveryRoundOnThreeNodesOneNodeAndTheFloor() {
        Row r = rows.get("cluster checkpoint 100 agents 3 nodes");
        assertThat(r.value("rounds")).isEqualTo(3.0);
        assertThat(r.value("rounds_released")).isEqualTo(3.0);
        assertThat(r.value(Keys.P99)).isPositive();
        assertThat(r.value(Keys.LIMIT)).as("one node p99").isPositive();
        assertThat(r.value("floor_p99_ms")).isPositive();
        assertThat(r.value("skew_max_ms")).isGreaterThanOrEqualTo(r.value("skew_p50_ms"));
    }

    @Test
    void clusterCounterHoldsEveryAdditionOnBothSides() {
        Row r = rows.get("cluster counter c=256 3 nodes");
        assertThat(r.value(Keys.FIGURE)).isPositive();
        assertThat(r.value(Keys.LIMIT)).isPositive();
        assertThat(r.value("verified_additions")).isPositive();
        assertThat(r.value("one_node_verified_additions")).isPositive();
    }

    @Test
    void idleReadsResidentMemoryOfBothServers() {
        Row r = rows.get("idle conns=200");
        assertThat(r.value("server_rss_before_mb")).isPositive();
        assertThat(r.value("server_rss_after_mb")).isPositive();
        assertThat(r.value(Keys.FIGURE)).isFinite();
        assertThat(r.value(Keys.LIMIT)).isFinite();
    }

    @Test
    void jsonLinesAreOneObjectPerRow() {
        for (Row r : rows.values()) {
            String line = Table.json(r);
            assertThat(line).startsWith("{\"scenario\":\"").endsWith("}").doesNotContain("\n");
            assertThat(line).contains("\"result\":\"" + r.verdict() + "\"");
        }
    }

    @Test
    void leavesNoWorkDirectoryBehindWhenAllRan() throws Exception {
        try (var left = Files.list(work)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("testsync-bench-"))).isEmpty();
        }
    }
}
