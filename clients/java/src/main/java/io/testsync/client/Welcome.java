package io.testsync.client;

import java.util.Map;

/**
 * The server's first frame on a {@code testsync.v1} connection (SPEC §9.2).
 *
 * @param protocol     always {@code testsync.v1}
 * @param run          the run (test ID) this connection belongs to
 * @param agent        this connection's agent name (the one asked for, or the server's {@code agent-<n>})
 * @param connection   the server-made connection id, unique for the life of the server
 * @param serverTimeMs the server's clock when it wrote the frame
 * @param limits       the server's limits by key ({@code max_data_bytes}, …), numbers only
 */
public record Welcome(String protocol, String run, String agent, String connection, long serverTimeMs, Map<String, Long> limits) {
    public Welcome {
        limits = Map.copyOf(limits);
    }
}
