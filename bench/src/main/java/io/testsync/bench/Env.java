package io.testsync.bench;

import io.testsync.bench.load.Lanes;
import io.testsync.bench.proc.Launcher;
import io.vertx.core.Vertx;

import java.io.PrintStream;

/**
 * What every scenario works with: the generator's own Vert.x (never the server's), its lanes,
 * the launcher of child servers, the profile, and where progress lines go.
 */
public record Env(Vertx vertx, Lanes lanes, Launcher launcher, Profile profile, PrintStream log) {

    public void progress(String format, Object... args) {
        log.println(String.format(java.util.Locale.ROOT, format, args));
        log.flush();
    }
}
