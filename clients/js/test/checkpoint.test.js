// Checkpoints through the client against the real server: 20 agents meeting, the common start
// instant, and both ways a synchronization fails (timeout, participant_lost).

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CheckpointFailedError, CLIENT_CODES, TestSync, TestSyncError } from '../src/index.js';
import { eventually } from './support/eventually.js';
import { runId, startServer } from './support/server.js';

const LEAD_MS = 1500;
let server;
const open = [];

before(async () => {
  // a long lead, so a release that did not wait out start_in_ms would show
  server = await startServer({ env: { TESTSYNC_CHECKPOINT_RELEASE_LEAD_MS: String(LEAD_MS) } });
});

after(async () => {
  await Promise.all(open.map((ts) => ts.close()));
  await server?.stop();
});

async function agent(run, name) {
  const ts = await TestSync.connect(server.wsUrl, server.agentOptions(run, { agent: name }));
  open.push(ts);
  return ts;
}

/** Resolves once the join of `ts` has been executed: its next command's reply comes after it. */
async function joined(ts) {
  await ts.counter('sync-point');
}

test('20 agents meet at a checkpoint and all resume at the common start instant', async () => {
  const run = runId('twenty');
  const names = Array.from({ length: 20 }, (_, i) => `a-${String(i + 1).padStart(2, '0')}`);
  const agents = await Promise.all(names.map((name) => agent(run, name)));
  const resumed = await Promise.all(agents.map(async (ts) => {
    const release = await ts.checkpoint('all-in', { target: 20, timeoutMs: 60000 });
    return { release, at: Date.now() };
  }));

  const startAt = resumed[0].release.startAt;
  for (const { release, at } of resumed) {
    assert.equal(release.identifier, 'all-in');
    assert.equal(release.finished, true);
    assert.equal(release.reason, 'complete');
    assert.equal(release.joined, 20);
    assert.equal(release.target, 20);
    assert.equal(release.startAt, startAt, 'every member gets the same start_at');
    assert.equal(typeof release.startInMs, 'number');
    assert.equal(typeof release.serverTimeMs, 'number');
    assert.equal(release.raw.start_at, release.startAt);
    assert.equal(release.raw.start_in_ms, release.startInMs);
    assert.equal(release.raw.server_time_ms, release.serverTimeMs);
    // server and test share this machine's clock: nobody resumes before start_at (1 ms of rounding)
    assert.ok(at >= startAt - 1, `resumed at ${at}, ${startAt - at} ms before start_at ${startAt}`);
  }

  // a completed checkpoint stays completed: a late joiner gets the same release at once
  const late = await agent(run, 'late');
  const again = await late.checkpoint('all-in', { target: 20 });
  assert.equal(again.finished, true);
  assert.equal(again.startAt, startAt);
  assert.equal(again.startInMs, 0);
});

test('waitForStart: false resolves as soon as the release arrives, before start_at', async () => {
  const run = runId();
  const [a, b] = await Promise.all([agent(run, 'a'), agent(run, 'b')]);
  const [ra, rb] = await Promise.all([
    a.checkpoint('early', { target: 2, waitForStart: false }).then((r) => ({ r, at: Date.now() })),
    b.checkpoint('early', { target: 2, waitForStart: false }).then((r) => ({ r, at: Date.now() })),
  ]);
  for (const { r, at } of [ra, rb]) {
    assert.equal(r.finished, true);
    assert.ok(r.startInMs > 0, `start_in_ms ${r.startInMs} with a ${LEAD_MS} ms lead`);
    assert.ok(at < r.startAt, `resolved at ${at}, start_at ${r.startAt}`);
  }
});

test('a checkpoint that times out rejects every member with CheckpointFailedError naming joined and absent agents', async () => {
  const run = runId();
  const [b, c] = await Promise.all([agent(run, 'b'), agent(run, 'c')]);
  await agent(run, 'd'); // connected, never joins
  const results = await Promise.all([b, c].map((ts) => ts.checkpoint('slow', { target: 3, timeoutMs: 300 }).catch((e) => e)));
  for (const error of results) {
    assert.ok(error instanceof CheckpointFailedError, String(error));
    assert.ok(error instanceof TestSyncError);
    assert.equal(error.code, CLIENT_CODES.CHECKPOINT_FAILED);
    assert.equal(error.identifier, 'slow');
    assert.equal(error.reason, 'timeout');
    assert.deepEqual([...error.joinedAgents].sort(), ['b', 'c']);
    assert.deepEqual([...error.absentAgents], ['d']);
    assert.equal(error.release.finished, false);
    assert.equal(error.release.raw.reason, 'timeout');
    assert.match(error.message, /checkpoint "slow" failed: timeout; 2 of 3 joined/);
    assert.match(error.message, /absent: d/);
  }
  // the timed-out checkpoint was removed: its identifier can be used again
  const again = await Promise.all([b, c].map((ts) => ts.checkpoint('slow', { target: 2, timeoutMs: 30000, waitForStart: false })));
  assert.deepEqual(again.map((r) => r.reason), ['complete', 'complete']);
});

test('failOnLeave: a member that disconnects releases the others at once with participant_lost', async () => {
  const run = runId();
  const [a, b] = await Promise.all([agent(run, 'stays'), agent(run, 'leaves')]);
  await agent(run, 'idle');
  const waitingA = a.checkpoint('fragile', { target: 3, timeoutMs: 60000, failOnLeave: true }).catch((e) => e);
  await joined(a);
  const waitingB = b.checkpoint('fragile', { target: 3, timeoutMs: 60000, failOnLeave: true }).catch((e) => e);
  await joined(b);
  await b.close();

  const error = await waitingA;
  assert.ok(error instanceof CheckpointFailedError, String(error));
  assert.equal(error.reason, 'participant_lost');
  assert.deepEqual([...error.lost], ['leaves']);
  assert.ok(error.joinedAgents.includes('stays'));
  assert.ok(error.absentAgents.includes('idle'));
  assert.match(error.message, /lost: leaves/);

  const own = await waitingB;
  assert.ok(own instanceof TestSyncError);
  assert.equal(own.code, CLIENT_CODES.CLOSED);
});

test('without failOnLeave, a member that disconnects just stops counting', async () => {
  const run = runId();
  const [x, y, z] = await Promise.all([agent(run, 'x'), agent(run, 'y'), agent(run, 'z')]);
  const waitingX = x.checkpoint('tolerant', { target: 3, timeoutMs: 1000 }).catch((e) => e);
  await joined(x);
  const waitingY = y.checkpoint('tolerant', { target: 3, timeoutMs: 1000 }).catch((e) => e);
  await joined(y);
  await y.close();
  assert.equal((await waitingY).code, CLIENT_CODES.CLOSED);
  await eventually('connections after y closed', () => x.connectionCount(), (n) => n === 2);
  // had y still counted, z's join would have completed it (3 of 3): it times out with x and z
  const [ex, ez] = await Promise.all([waitingX, z.checkpoint('tolerant', { target: 3 }).catch((e) => e)]);
  for (const error of [ex, ez]) {
    assert.ok(error instanceof CheckpointFailedError, String(error));
    assert.equal(error.reason, 'timeout');
    assert.equal(error.release.joined, 2);
    assert.deepEqual([...error.joinedAgents].sort(), ['x', 'z']);
    assert.deepEqual([...error.lost], []);
  }
});
