package io.testsync.server.admin;

/**
 * One row of the runs list (SPEC §10).
 *
 * @param agents             live connections
 * @param checkpointsWaiting checkpoints that have not completed
 * @param lastActivityMs     server unix ms of the run's latest change
 */
public record RunSummary(String id, int agents, int checkpointsWaiting, long lastActivityMs) {}
