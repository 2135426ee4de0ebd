package io.testsync.bench;

import io.testsync.bench.load.Lanes;
import io.testsync.bench.proc.Launcher;
import io.testsync.bench.proc.MachineLoad;
import io.testsync.bench.scenario.AdminScenario;
import io.testsync.bench.scenario.BarrierScenario;
import io.testsync.bench.scenario.ClientCheckpointScenario;
import io.testsync.bench.scenario.ClusterScenario;
import io.testsync.bench.scenario.CounterScenario;
import io.testsync.bench.scenario.DataScenario;
import io.testsync.bench.scenario.FanoutScenario;
import io.testsync.bench.scenario.HttpScenario;
import io.testsync.bench.scenario.IdleScenario;
import io.testsync.bench.scenario.LockScenario;
import io.testsync.bench.scenario.RttScenario;
import io.testsync.bench.scenario.Scenario;
import io.testsync.bench.scenario.StartupScenario;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs the chosen scenarios in a fixed order on one generator: its own Vert.x instance with one
 * event loop per core, separate from every server it measures. Owns the temp directory where the
 * children's logs and databases live; it is removed unless a scenario failed.
 */
public final class Suite {
    /** The note on every row: cores' worth of CPU other processes used while its scenario ran. */
    public static final String OTHER_CORES = "other_cores";

    /** Every scenario, in the order they run: the cheap ones first, then the five JVMs of cluster, the 10,000 sockets last. */
    public static List<Scenario> all() {
        return List.of(new StartupScenario(), new BarrierScenario(), new RttScenario(),
                new CounterScenario(), new FanoutScenario(), new LockScenario(), new DataScenario(),
                HttpScenario.memory(), HttpScenario.durable(), new ClientCheckpointScenario(), new AdminScenario(),
                new ClusterScenario(), new IdleScenario());
    }

    public static List<String> names() {
        return all().stream().map(Scenario::name).toList();
    }

    /** Runs {@code scenarios}; {@code onRow} sees each row as soon as its scenario is done. */
    public static List<Row> run(Profile profile, List<Scenario> scenarios, Path serverJar, Path tempParent,
                                PrintStream log, Consumer<Row> onRow) {
        Path work = createWorkDir(tempParent);
        Launcher launcher = new Launcher(serverJar, work);
        int loops = Math.max(1, Runtime.getRuntime().availableProcessors());
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(loops));
        List<Row> rows = new ArrayList<>();
        try {
            Env env = new Env(vertx, Lanes.create(vertx, loops), launcher, profile, log);
            env.progress("bench: profile %s, %d run(s) per scenario, server %s, work dir %s",
                    profile.name(), profile.runs(), serverJar, work);
            MachineLoad whole = MachineLoad.now();
            for (Scenario s : scenarios) {
                env.progress("%s ...", s.name());
                MachineLoad before = MachineLoad.now();
                List<Row> produced;
                try {
                    produced = s.run(env);
                } catch (RuntimeException e) {
                    // a server that would not start: the scenario's rows cannot exist, say why in one
                    produced = List.of(Row.failed(new Row.Spec(s.name(), "", "", "", Target.NONE), 0,
                            e.getMessage() == null ? e.toString() : e.getMessage()));
                    env.progress("  %s FAILED: %s", s.name(), produced.get(0).error());
                }
                double others = MachineLoad.otherCoresSince(before);
                produced = produced.stream().map(r -> r.with(OTHER_CORES, others)).toList();
                produced.forEach(onRow);
                rows.addAll(produced);
            }
            env.progress("bench: other processes used %.2f of %d cores on average during the run",
                    MachineLoad.otherCoresSince(whole), loops);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
        if (rows.stream().noneMatch(Row::failed)) delete(work);
        else log.println("bench: kept " + work + " (server logs and databases) because a scenario failed");
        return rows;
    }

    private static Path createWorkDir(Path parent) {
        try {
            Files.createDirectories(parent);
            return Files.createTempDirectory(parent, "testsync-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a work directory in " + parent, e);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is not worth failing a finished bench
        }
    }
}
