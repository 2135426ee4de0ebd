// `await browser.waitForCheckpoint('logged-in', { target: 4 })`: waits until `target` agents of
// the run (TESTSYNC_RUN_ID) have reached this checkpoint, and returns at the common start instant
// with the release. A failed synchronization (timeout, a participant lost) fails the test with a
// message naming who had joined and who was absent.

const { testsync } = require('../testsync-agent.cjs');

module.exports = class WaitForCheckpoint {
  async command(identifier, { target = Number(process.env.TESTSYNC_AGENTS), timeoutMs = 120000, failOnLeave = true } = {}) {
    if (!Number.isInteger(target) || target < 1) {
      throw new Error(`waitForCheckpoint("${identifier}") needs { target }: how many agents meet there (or set TESTSYNC_AGENTS)`);
    }
    const ts = await testsync();
    // CheckpointFailedError's message already says the reason, the joined and the absent agents.
    return ts.checkpoint(identifier, { target, timeoutMs, failOnLeave });
  }
};
