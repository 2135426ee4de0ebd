// One TestSync connection per Nightwatch worker process, opened on first use from the
// environment, closed by globals.cjs after the run. testsync-client is an ES module: a CommonJS
// file loads it with import().

const DEFAULT_URL = 'ws://localhost:9105';
let connecting;

/** The worker's connected TestSync agent. */
async function testsync() {
  connecting ??= import('testsync-client').then(({ TestSync }) => {
    const runId = process.env.TESTSYNC_RUN_ID;
    if (!runId) throw new Error('set TESTSYNC_RUN_ID: every agent of one run uses the same one');
    return TestSync.connect(process.env.TESTSYNC_URL ?? DEFAULT_URL, {
      runId,
      username: process.env.TESTSYNC_USER,
      password: process.env.TESTSYNC_USER === undefined ? undefined : (process.env.TESTSYNC_PASS ?? ''),
      agent: process.env.TESTSYNC_AGENT ?? `nightwatch-${process.pid}`,
    });
  });
  // a failed connect is not cached: the next command tries again
  connecting.catch(() => { connecting = undefined; });
  return connecting;
}

/** Closes the worker's connection, if one was opened. */
async function closeTestsync() {
  const pending = connecting;
  connecting = undefined;
  const ts = await pending?.catch(() => undefined);
  await ts?.close();
}

module.exports = { testsync, closeTestsync };
