package io.testsync.bench.scenario;

import io.testsync.bench.Env;
import io.testsync.bench.Measure;
import io.testsync.bench.Row;
import io.testsync.bench.Target;
import io.testsync.bench.limits.FixedHttpServer;
import io.testsync.bench.proc.Launched;
import io.testsync.bench.proc.Launcher;

import java.util.List;

/**
 * From {@code java -jar} to {@code /health} answering 200, against the same for the minimal HTTP
 * server: the ratio shows what the server adds to the JVM's and Vert.x's own start.
 */
public final class StartupScenario implements Scenario {
    static final Row.Spec SPEC = new Row.Spec("startup", "", "ms", "minimal HTTP server",
            Target.atMost(Measure.Keys.RATIO, 1.2, "<= 1.2 x minimal"));

    @Override
    public String name() {
        return "startup";
    }

    @Override
    public List<Row> run(Env env) {
        return List.of(Repeat.rows(env, SPEC, r -> {
            double server;
            try (Launched s = env.launcher().server(Launcher.Storage.MEMORY)) {
                server = s.startupMillis();
            }
            double limit;
            try (Launched l = env.launcher().limit(FixedHttpServer.class, "minimal HTTP")) {
                limit = l.startupMillis();
            }
            return new Measure().versus(server, limit);
        }));
    }
}
