package io.testsync.server.runs;

/** What became of a join at a checkpoint. Releases themselves reach members through {@link Member#release}. */
public enum JoinOutcome {
    /** The member now waits for the release (or was already waiting: joining twice counts once). */
    WAITING,
    /** The join completed the checkpoint, or the checkpoint was already complete: the release is on its way. */
    RELEASED,
    /** The run already holds its maximum number of checkpoints; nothing changed. */
    LIMIT_REACHED
}
