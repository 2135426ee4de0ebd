package io.testsync.bench;

import io.testsync.bench.scenario.Scenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The benchmark's command line: runs the standard set (or a part of it) and prints the table. */
@Command(name = "testsync-bench", mixinStandardHelpOptions = true, version = "testsync-bench 0.1.0",
        description = {"Drives fresh TestSync server processes like a fleet of agents and prints each",
                "figure next to its limit (minimal Vert.x servers, a one-transaction-per-write",
                "SQLite loop) and the targets of issues 3, 7 and 10.",
                "Scenarios: startup, barrier, rtt, counter, publish, lock, data, http, durable,",
                "client, admin, cluster (3 nodes on a real redis-server against one node), idle."})
public final class Bench implements Callable<Integer> {

    @Option(names = "--quick", description = "one short run per scenario, smaller idle and barrier sets (a look, not figures)")
    boolean quick;

    @Option(names = "--scenario", split = ",", paramLabel = "NAME", description = "run only these (repeatable or comma-separated)")
    List<String> scenarios = new ArrayList<>();

    @Option(names = "--runs", paramLabel = "N", description = "repetitions per scenario; medians are reported (standard: 3)")
    Integer runs;

    @Option(names = "--json", description = "print one JSON line per row on stdout as it is done; the table goes to stderr")
    boolean json;

    @Option(names = "--server-jar", paramLabel = "PATH", description = "the server to measure (default: server/target/testsync.jar)")
    Path serverJar;

    @Option(names = "--temp-dir", paramLabel = "DIR", description = "where children's logs and databases go; on the disk to measure (default: java.io.tmpdir)")
    Path tempDir = Path.of(System.getProperty("java.io.tmpdir"));

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() {
        Profile profile = quick ? Profile.QUICK : Profile.STANDARD;
        if (runs != null) {
            if (runs < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--runs must be at least 1");
            profile = profile.withRuns(runs);
        }
        List<Scenario> chosen = choose(scenarios);
        Path jar = serverJar == null ? defaultServerJar() : serverJar;
        if (!Files.isRegularFile(jar)) {
            System.err.println("testsync-bench: server jar " + jar.toAbsolutePath() + " not found; build it with"
                    + " `mvn -q -DskipTests package` in the project root, or pass --server-jar");
            return 2;
        }
        PrintStream out = System.out;
        PrintStream tableOut = json ? System.err : System.out;
        List<Row> rows = Suite.run(profile, chosen, jar, tempDir, System.err,
                row -> {
                    if (json) {
                        out.println(Table.json(row));
                        out.flush();
                    }
                });
        tableOut.println();
        tableOut.print(Table.render(rows));
        return rows.stream().anyMatch(Row::failed) ? 1 : 0;
    }

    private List<Scenario> choose(List<String> names) {
        if (names.isEmpty()) return Suite.all();
        List<Scenario> chosen = new ArrayList<>();
        for (Scenario s : Suite.all()) if (names.contains(s.name())) chosen.add(s);
        for (String n : names) {
            if (!Suite.names().contains(n)) {
                throw new CommandLine.ParameterException(new CommandLine(this),
                        "unknown scenario '" + n + "'; known: " + String.join(", ", Suite.names()));
            }
        }
        return chosen;
    }

    /** server/target/testsync.jar from the project root, or found from where this jar lies (bench/target/). */
    static Path defaultServerJar() {
        Path fromCwd = Path.of("server", "target", "testsync.jar");
        if (Files.isRegularFile(fromCwd)) return fromCwd;
        try {
            Path self = Path.of(Bench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path sibling = self.getParent().getParent().getParent().resolve(fromCwd);
            if (Files.isRegularFile(sibling)) return sibling;
        } catch (Exception ignored) {
            // fall through: the error names the default path
        }
        return fromCwd;
    }
}
