package io.testsync.client;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A checkpoint's release as the server sent it (SPEC §4, §9.4), plus when this client received it.
 *
 * @param identifier      the checkpoint
 * @param finished        true when the target was reached; {@code checkpoint()} throws {@link CheckpointFailedException} otherwise
 * @param reason          {@code complete}, {@code timeout}, {@code participant_lost} or {@code operator_released}
 * @param joined          members counted when the release was decided
 * @param target          the checkpoint's target (fixed by its first join)
 * @param startAt         server clock, unix ms: the common start instant
 * @param startInMs       how long after receiving the frame this agent resumes
 * @param serverTimeMs    the server's clock when it wrote this frame
 * @param joinedAgents    for a failed release: the agents that had joined; else empty
 * @param absentAgents    for a failed release: connected agents that had not joined; else empty
 * @param lost            for {@code participant_lost}: the agents whose connection closed; else empty
 * @param receivedAtNanos {@link System#nanoTime()} when the frame arrived
 */
public record Release(String identifier, boolean finished, String reason, int joined, int target,
                      long startAt, long startInMs, long serverTimeMs,
                      List<String> joinedAgents, List<String> absentAgents, List<String> lost,
                      long receivedAtNanos) {

    public Release {
        joinedAgents = List.copyOf(joinedAgents);
        absentAgents = List.copyOf(absentAgents);
        lost = List.copyOf(lost);
    }

    /** {@link System#nanoTime()} of the common start instant: arrival plus {@code start_in_ms} (never the local wall clock). */
    public long resumeAtNanos() {
        return receivedAtNanos + TimeUnit.MILLISECONDS.toNanos(startInMs);
    }
}
