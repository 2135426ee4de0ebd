package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Measure;
import io.testsync.bench.Row;
import io.testsync.bench.Target;
import io.testsync.bench.limits.FixedHttpServer;
import io.testsync.bench.proc.Launched;
import io.testsync.bench.proc.Launcher;

import java.util.List;
import java.util.function.Supplier;

/**
 * From {@code java} to {@code /health} answering 200, against the same for the minimal HTTP server:
 * the ratio shows what the server adds to the JVM's and Vert.x's own start. Twice: as the README's
 * run command starts it (with the class archive the build writes next to the jar), and without the
 * archive, which is what the archive saves.
 */
public final class StartupScenario implements Scenario {
    static final Row.Spec SPEC = new Row.Spec("startup", "", "ms", "minimal HTTP server",
            Target.atMost(Measure.Keys.RATIO, 1.2, "<= 1.2 x minimal"));
    static final Row.Spec WITHOUT_ARCHIVE = new Row.Spec("startup", "no class archive", "ms", "minimal HTTP server",
            Target.NONE);

    @Override
    public String name() {
        return "startup";
    }

    @Override
    public List<Row> run(Env env) {
        return List.of(
                Repeat.rows(env, SPEC, r -> versusMinimal(env, () -> env.launcher().server(Launcher.Storage.MEMORY))),
                Repeat.rows(env, WITHOUT_ARCHIVE, r -> versusMinimal(env,
                        () -> env.launcher().serverWithoutClassArchive(Launcher.Storage.MEMORY))));
    }

    private static Measure versusMinimal(Env env, Supplier<Launched> start) {
        double server;
        try (Launched s = start.get()) {
            server = s.startupMillis();
        }
        double limit;
        try (Launched l = env.launcher().limit(FixedHttpServer.class, "minimal HTTP")) {
            limit = l.startupMillis();
        }
        return new Measure().versus(server, limit);
    }
}
