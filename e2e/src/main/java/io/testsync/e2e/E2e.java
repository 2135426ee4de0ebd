package io.testsync.e2e;

import java.io.PrintStream;
import java.util.Map;

/**
 * The end-to-end validation program: walks a running TestSync server through its contract over
 * HTTP and WebSocket and reports in one line. Exit status 0 when every step passed, 1 at the first
 * that did not (the line on stderr names the step, what was expected and what arrived), 2 for a
 * wrong command line.
 */
public final class E2e {

    private static final String USAGE = """
            Usage: java -jar testsync-e2e.jar
            Checks a running TestSync server end to end. Settings come from the environment:
              TESTSYNC_HTTP_URL  HTTP API base (default http://localhost:9104)
              TESTSYNC_WS_URL    WebSocket base (default ws://localhost:9105)
              TESTSYNC_USER      Basic auth user (default exampleUserName)
              TESTSYNC_PASS      Basic auth password (default examplePassWord)
              TESTSYNC_TEST_ID   run id to use (default a fresh e2e-<unix ms>-<random>);
                                 its data is deleted first, so runs can be repeated
            Exit status: 0 all steps passed, 1 a step failed, 2 bad command line.""";

    private E2e() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.println(USAGE);
            return 0;
        }
        if (args.length > 0) {
            err.println("e2e: unexpected argument " + args[0] + " (settings come from TESTSYNC_* variables; see --help)");
            return 2;
        }
        Settings settings;
        try {
            settings = Settings.fromEnv(env);
        } catch (IllegalArgumentException e) {
            err.println("e2e FAILED at step settings: " + e.getMessage());
            return 1;
        }
        try (StepRunner steps = new StepRunner(); Scenario scenario = new Scenario(settings)) {
            scenario.run(steps);
            out.println("e2e OK: " + steps.passed() + " steps passed against " + settings.httpUrl()
                    + " and " + settings.wsUrl() + " (test id " + settings.testId() + ")");
            return 0;
        } catch (StepRunner.Failed f) {
            err.println("e2e FAILED at step " + f.step() + ": " + f.getMessage());
            return 1;
        }
    }
}
