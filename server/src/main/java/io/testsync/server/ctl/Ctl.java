package io.testsync.server.ctl;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code testsync ctl}: the management API (SPEC §10) from a terminal, as {@code redis-cli} is for
 * Redis. A readable table by default, the server's JSON with {@code --json}; exit 0 when the server
 * did it, 1 when it could not (with one line saying why), 2 for a usage mistake.
 */
@Command(name = "ctl", mixinStandardHelpOptions = true, versionProvider = Ctl.NoVersion.class,
        description = "Watch and unstick the runs of a TestSync server.",
        subcommands = {Ctl.Runs.class, Ctl.Run.class, Ctl.Release.class, Ctl.Kick.class, Ctl.Delete.class},
        footer = {"", "Credentials: --user/--password, else TESTSYNC_ADMIN_USERNAME/TESTSYNC_ADMIN_PASSWORD,"
                + " else TESTSYNC_SYNC_CLIENT_USERNAME/TESTSYNC_SYNC_CLIENT_PASSWORD. Address: --url, else TESTSYNC_HTTP_URL."})
public final class Ctl implements Callable<Integer> {
    static final String DEFAULT_URL = "http://127.0.0.1:9104";

    /** What every action takes: where the server is, who we are, how to print. */
    static final class Common {
        @Option(names = "--url", paramLabel = "URL", description = "the server's HTTP address (default: " + DEFAULT_URL + ")")
        String url;
        @Option(names = {"--user", "-u"}, paramLabel = "USER", description = "admin (or agents') user name")
        String user;
        @Option(names = {"--password", "-p"}, paramLabel = "PASSWORD", description = "its password")
        String password;
        @Option(names = "--json", description = "print the server's JSON instead of a table")
        boolean json;
    }

    /** Lets {@code ctl --version} say nothing misleading: the server's version is GET /version. */
    static final class NoVersion implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"testsync ctl"};
        }
    }

    private final Map<String, String> env;
    private PrintStream out;

    private Ctl(Map<String, String> env) {
        this.env = env;
    }

    /** Runs {@code ctl <args>}; returns the exit status. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        Ctl ctl = new Ctl(env);
        ctl.out = out;
        CommandLine cli = new CommandLine(ctl);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("testsync ctl: " + e.getMessage());
            e.getCommandLine().usage(err);
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof AdminClient.Failure f) {
                err.println("testsync ctl: " + f.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        // no action given
        new CommandLine(this).usage(out);
        return 2;
    }

    private int perform(Common c, String method, String path, java.util.function.Function<JsonNode, String> text) throws AdminClient.Failure {
        String url = c.url != null ? c.url : env.getOrDefault("TESTSYNC_HTTP_URL", DEFAULT_URL);
        String user = c.user, password = c.password;
        if (user == null) {
            user = env.get("TESTSYNC_ADMIN_USERNAME");
            password = env.get("TESTSYNC_ADMIN_PASSWORD");
        }
        if (user == null) {
            user = env.get("TESTSYNC_SYNC_CLIENT_USERNAME");
            password = env.get("TESTSYNC_SYNC_CLIENT_PASSWORD");
        }
        if (user != null && password == null) throw new AdminClient.Failure("a user name without a password: pass --password too");
        AdminClient.Answer answer = new AdminClient(url, user, password).send(method, path);
        if (c.json) {
            if (!answer.body().isEmpty()) out.println(answer.body());
        } else {
            out.print(text.apply(answer.body().isEmpty() ? null : Json.read(answer.body())));
        }
        out.flush();
        return 0;
    }

    private static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Command(name = "runs", description = "List the runs held, most recently active first.", mixinStandardHelpOptions = true)
    static final class Runs implements Callable<Integer> {
        @CommandLine.ParentCommand Ctl ctl;
        @Mixin Common common;

        @Override
        public Integer call() throws AdminClient.Failure {
            return ctl.perform(common, "GET", "/api/v1/runs", body -> Render.runs(body, System.currentTimeMillis()));
        }
    }

    @Command(name = "run", description = "Show one run: agents, checkpoints (who joined, who is missing), counters, states, topics, locks.",
            mixinStandardHelpOptions = true)
    static final class Run implements Callable<Integer> {
        @CommandLine.ParentCommand Ctl ctl;
        @Mixin Common common;
        @Parameters(paramLabel = "ID", description = "the run's test ID") String id;

        @Override
        public Integer call() throws AdminClient.Failure {
            return ctl.perform(common, "GET", "/api/v1/runs/" + seg(id), body -> Render.run(body, System.currentTimeMillis()));
        }
    }

    @Command(name = "release", description = "Release the agents waiting at a checkpoint (finished:false, reason operator_released).",
            mixinStandardHelpOptions = true)
    static final class Release implements Callable<Integer> {
        @CommandLine.ParentCommand Ctl ctl;
        @Mixin Common common;
        @Parameters(index = "0", paramLabel = "ID") String id;
        @Parameters(index = "1", paramLabel = "CHECKPOINT") String checkpoint;

        @Override
        public Integer call() throws AdminClient.Failure {
            return ctl.perform(common, "POST", "/api/v1/runs/" + seg(id) + "/checkpoints/" + seg(checkpoint) + "/release",
                    body -> "released " + body.path("released").asInt() + " agents from checkpoint '" + checkpoint + "' of run " + id + "\n");
        }
    }

    @Command(name = "kick", description = "Close one agent's connection (4001, removed by operator).", mixinStandardHelpOptions = true)
    static final class Kick implements Callable<Integer> {
        @CommandLine.ParentCommand Ctl ctl;
        @Mixin Common common;
        @Parameters(index = "0", paramLabel = "ID") String id;
        @Parameters(index = "1", paramLabel = "CONNECTION", description = "the connection id, as `ctl run ID` lists it") String connection;

        @Override
        public Integer call() throws AdminClient.Failure {
            return ctl.perform(common, "DELETE", "/api/v1/runs/" + seg(id) + "/agents/" + seg(connection),
                    body -> "removed connection " + connection + " from run " + id + "\n");
        }
    }

    @Command(name = "delete", description = "Close every agent of a run (4001) and remove its state and data.", mixinStandardHelpOptions = true)
    static final class Delete implements Callable<Integer> {
        @CommandLine.ParentCommand Ctl ctl;
        @Mixin Common common;
        @Parameters(paramLabel = "ID") String id;

        @Override
        public Integer call() throws AdminClient.Failure {
            return ctl.perform(common, "DELETE", "/api/v1/runs/" + seg(id), body -> "deleted run " + id + "\n");
        }
    }
}
