// The two error types a caller branches on. Codes are stable strings: the server's error codes
// (SPEC §3) pass through unchanged, and the client adds a few of its own (see CLIENT_CODES).

/** Codes the client itself produces, next to the server's (invalid_argument, limit_reached, ...). */
export const CLIENT_CODES = Object.freeze({
  /** The handshake was refused or failed (bad credentials, bad run id or agent name, server down). */
  CONNECT_FAILED: 'connect_failed',
  /** The server did not speak testsync.v1, or sent a frame the client cannot read. */
  PROTOCOL_ERROR: 'protocol_error',
  /** The connection ended without close(): every call waiting on it fails with this code. */
  CONNECTION_LOST: 'connection_lost',
  /** close() was called: calls still waiting, and calls made afterwards, fail with this code. */
  CLOSED: 'closed',
  /** lock() waited its timeoutMs without being granted. */
  LOCK_TIMEOUT: 'lock_timeout',
  /** A checkpoint was released without completing (CheckpointFailedError). */
  CHECKPOINT_FAILED: 'checkpoint_failed',
});

/** A failed TestSync call: `code` is stable and safe to branch on, `message` is for people. */
export class TestSyncError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {{command?: string, status?: number, closeCode?: number, closeReason?: string, reply?: object, cause?: unknown}} [details]
   */
  constructor(code, message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'TestSyncError';
    this.code = code;
    this.command = details.command;
    this.status = details.status;
    this.closeCode = details.closeCode;
    this.closeReason = details.closeReason;
    this.reply = details.reply;
  }
}

/**
 * A checkpoint released with `finished: false` (timeout, participant_lost, operator_released):
 * a failed synchronization. It names who had joined and who was connected but had not.
 */
export class CheckpointFailedError extends TestSyncError {
  /** @param {import('./release.js').Release} release */
  constructor(release) {
    super(CLIENT_CODES.CHECKPOINT_FAILED, describe(release), { command: 'wait_checkpoint', reply: release.raw });
    this.name = 'CheckpointFailedError';
    this.identifier = release.identifier;
    this.reason = release.reason;
    this.joinedAgents = release.joinedAgents;
    this.absentAgents = release.absentAgents;
    this.lost = release.lost;
    this.release = release;
  }
}

function describe(r) {
  const parts = [`checkpoint "${r.identifier}" failed: ${r.reason}`, `${r.joined} of ${r.target} joined`];
  if (r.lost.length > 0) parts.push(`lost: ${r.lost.join(', ')}`);
  if (r.joinedAgents.length > 0) parts.push(`joined: ${r.joinedAgents.join(', ')}`);
  if (r.absentAgents.length > 0) parts.push(`connected but absent: ${r.absentAgents.join(', ')}`);
  return parts.join('; ');
}
