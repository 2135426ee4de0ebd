package io.testsync.server.metrics;

/**
 * The {@code route} label of the HTTP request counter: a closed set decided by the router, never
 * the client's path, so a scan of random URLs cannot create series.
 */
public enum HttpRoute {
    TESTS("tests"),
    HEALTH("health"),
    READYZ("readyz"),
    VERSION("version"),
    METRICS("metrics"),
    REGISTER("register"),
    /** Everything the router answers 404 (or serves on no route of its own). */
    OTHER("other"),
    /** The management API, {@code /api/v1/...} (SPEC §10), its event stream included. */
    ADMIN("admin"),
    /** The live page's files, {@code /ui/...}. */
    UI("ui");

    private final String label;

    HttpRoute(String label) {
        this.label = label;
    }

    /** The label value, as it appears in {@code /metrics}. */
    public String label() {
        return label;
    }
}
