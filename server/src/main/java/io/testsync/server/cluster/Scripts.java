package io.testsync.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The Lua scripts of cluster mode, read from the classpath once (resources next to this class). */
final class Scripts {
    /** Every decision about a run (SPEC §11), one operation per call. */
    static final Script COORDINATION = load("coordination");
    /** Node leases: renewal, finding dead nodes, forgetting a cleaned-up one. */
    static final Script LEASE = load("lease");
    /** What the management API reads of a run, and a run's removal (SPEC §10 in a cluster). */
    static final Script ADMIN = load("admin");

    private Scripts() {
    }

    private static Script load(String name) {
        try (InputStream in = Scripts.class.getResourceAsStream(name + ".lua")) {
            if (in == null) throw new IllegalStateException("script " + name + ".lua is missing from the jar");
            return Script.of(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
