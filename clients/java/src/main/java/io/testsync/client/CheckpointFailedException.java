package io.testsync.client;

import java.util.List;

/**
 * A checkpoint released with {@code finished:false}: a failed synchronization. Says why
 * ({@code timeout}, {@code participant_lost}, {@code operator_released}) and who held the run up.
 */
public class CheckpointFailedException extends TestSyncException {
    private final Release release;

    public CheckpointFailedException(Release release) {
        super(CHECKPOINT_FAILED, "wait_checkpoint", describe(release));
        this.release = release;
    }

    private static String describe(Release r) {
        StringBuilder b = new StringBuilder("checkpoint \"").append(r.identifier()).append("\" failed: ")
                .append(r.reason()).append(", ").append(r.joined()).append(" of ").append(r.target()).append(" joined");
        if (!r.lost().isEmpty()) b.append("; lost ").append(r.lost());
        if (!r.joinedAgents().isEmpty()) b.append("; joined ").append(r.joinedAgents());
        if (!r.absentAgents().isEmpty()) b.append("; absent ").append(r.absentAgents());
        return b.toString();
    }

    /** {@code timeout}, {@code participant_lost} or {@code operator_released}. */
    public String reason() {
        return release.reason();
    }

    /** The agents that had joined (the server sends at most 100 names). */
    public List<String> joinedAgents() {
        return release.joinedAgents();
    }

    /** Agents connected to the run that had not joined (at most 100 names). */
    public List<String> absentAgents() {
        return release.absentAgents();
    }

    /** For {@code participant_lost}: the agents whose connection closed. */
    public List<String> lost() {
        return release.lost();
    }

    /** The whole release frame's fields. */
    public Release release() {
        return release;
    }
}
