package io.testsync.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/** Turns the server's base URI, a run ID and an agent name into the {@code /register/...} URI, checking each. */
final class Endpoints {
    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private Endpoints() {
    }

    /** {@code ws://host:port[/base]/register/<runId>[?agent=<name>]}; http(s) is taken for ws(s). */
    static URI register(URI server, String runId, String agent) {
        Objects.requireNonNull(server, "server URI must not be null");
        Objects.requireNonNull(runId, "runId must not be null");
        if (!RUN_ID.matcher(runId).matches()) {
            throw new IllegalArgumentException("run ID \"" + runId + "\" is not allowed: use 1-128 characters from A-Z a-z 0-9 . _ -");
        }
        String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(java.util.Locale.ROOT);
        String ws = switch (scheme) {
            case "ws", "http" -> "ws";
            case "wss", "https" -> "wss";
            default -> throw new IllegalArgumentException("server URI " + server + " must start with ws:// or wss://"
                    + " (e.g. ws://localhost:9105)");
        };
        if (server.getRawAuthority() == null) {
            throw new IllegalArgumentException("server URI " + server + " has no host: use e.g. ws://localhost:9105");
        }
        if (server.getRawQuery() != null || server.getRawFragment() != null) {
            throw new IllegalArgumentException("server URI " + server + " must not have a query or fragment: pass the server's"
                    + " base URI (ws://host:port); credentials go in Options.credentials, the agent name in Options.agent");
        }
        String base = server.getRawPath() == null ? "" : server.getRawPath();
        if (base.matches("(.*/)?register(/.*)?")) {
            throw new IllegalArgumentException("server URI " + server + " already names a /register path: pass the server's base"
                    + " URI (ws://host:port); the client adds /register/<runId>");
        }
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        String query = agent == null ? "" : "?agent=" + agent; // agent names are URI-safe by their rule
        return URI.create(ws + "://" + server.getRawAuthority() + base + "/register/" + runId + query);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
