package io.testsync.server.runs;

/**
 * What the management API shows of one connection (SPEC §10).
 *
 * @param connection    the server-made connection id
 * @param agent         the agent's name
 * @param remote        the peer's address, e.g. "127.0.0.1:53122"
 * @param protocol      "testsync.v1" or "seed"
 * @param connectedAtMs server unix ms of the upgrade
 * @param node          the cluster node that holds the connection; null on a single node
 */
public record MemberInfo(String connection, String agent, String remote, String protocol, long connectedAtMs, String node) {}
