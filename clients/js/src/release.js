// A checkpoint's release (SPEC §4, §9.4) as the caller sees it, and the wait for its start instant.

/**
 * @typedef {object} Release
 * @property {string} identifier
 * @property {boolean} finished
 * @property {string} reason        complete | timeout | participant_lost | operator_released
 * @property {number} joined
 * @property {number} target
 * @property {number | undefined} startAt       server unix ms every member resumes at
 * @property {number | undefined} startInMs     how long after receipt this agent was told to wait
 * @property {number | undefined} serverTimeMs  server clock when it wrote this agent's frame
 * @property {string[]} joinedAgents
 * @property {string[]} absentAgents
 * @property {string[]} lost
 * @property {object} raw           the reply's content exactly as the server sent it
 */

/** Turns a wait_checkpoint reply's content into a frozen Release. */
export function toRelease(raw) {
  return Object.freeze({
    identifier: raw.identifier,
    finished: raw.finished === true,
    reason: raw.reason,
    joined: raw.joined,
    target: raw.target,
    startAt: raw.start_at,
    startInMs: raw.start_in_ms,
    serverTimeMs: raw.server_time_ms,
    joinedAgents: Object.freeze([...(raw.joined_agents ?? [])]),
    absentAgents: Object.freeze([...(raw.absent_agents ?? [])]),
    lost: Object.freeze([...(raw.lost ?? [])]),
    raw,
  });
}

/**
 * Resolves once the monotonic clock reaches `deadline` (a performance.now() value). Timers may
 * wake a fraction of a millisecond early, so it checks again rather than resume before the
 * common instant.
 */
export async function waitUntil(deadline) {
  for (;;) {
    const left = deadline - performance.now();
    if (left <= 0) return;
    await new Promise((resolve) => setTimeout(resolve, Math.ceil(left)));
  }
}
