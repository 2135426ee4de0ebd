// Locks through the client against the real server: contention, fencing, timeouts, session binding.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CLIENT_CODES, TestSync, TestSyncError } from '../src/index.js';
import { runId, startServer } from './support/server.js';

let server;
const open = [];

before(async () => {
  server = await startServer();
});

after(async () => {
  await Promise.all(open.map((ts) => ts.close()));
  await server?.stop();
});

async function agents(run, n) {
  const list = await Promise.all(Array.from({ length: n }, (_, i) => TestSync.connect(server.wsUrl, server.agentOptions(run, { agent: `l-${i}` }))));
  open.push(...list);
  return list;
}

test('a lock contended by 10 clients has one holder at a time and increasing fences', async () => {
  const list = await agents(runId(), 10);
  let holders = 0;
  let most = 0;
  const grants = [];
  await Promise.all(list.map(async (ts) => {
    const lock = await ts.lock('shared-account', { timeoutMs: 60000 });
    holders += 1;
    most = Math.max(most, holders);
    grants.push({ agent: ts.agent, fence: lock.fence });
    assert.equal(lock.held, true);
    // a round trip while holding it: others' grants would arrive now if the server let them through
    await ts.counter('work', 1);
    holders -= 1;
    await lock.release();
    assert.equal(lock.held, false);
  }));
  assert.equal(most, 1);
  assert.equal(grants.length, 10);
  assert.equal(new Set(grants.map((g) => g.agent)).size, 10);
  for (let i = 1; i < grants.length; i++) {
    assert.ok(grants[i].fence > grants[i - 1].fence, `fences in grant order: ${grants.map((g) => g.fence).join(', ')}`);
  }
});

test('a lock not granted within timeoutMs rejects with lock_timeout and the raw reply', async () => {
  const [holder, waiter] = await agents(runId(), 2);
  const lock = await holder.lock('busy');
  assert.equal(lock.name, 'busy');
  assert.equal(typeof lock.fence, 'number');
  assert.deepEqual(lock.raw, { name: 'busy', acquired: true, fence: lock.fence });
  const error = await waiter.lock('busy', { timeoutMs: 200 }).catch((e) => e);
  assert.ok(error instanceof TestSyncError, String(error));
  assert.equal(error.code, CLIENT_CODES.LOCK_TIMEOUT);
  assert.deepEqual(error.reply, { name: 'busy', acquired: false, reason: 'timeout' });
  assert.match(error.message, /lock "busy" was not granted within 200 ms/);
  await lock.release();
  const next = await waiter.lock('busy', { timeoutMs: 5000 });
  assert.ok(next.fence > lock.fence);
});

test('the holder closing its connection grants the next waiter; releasing it afterwards is a no-op', async () => {
  const [holder, waiter] = await agents(runId(), 2);
  const first = await holder.lock('session-bound');
  const waiting = waiter.lock('session-bound', { timeoutMs: 30000 });
  await waiter.counter('queued'); // the lock request ran before this reply
  await holder.close();
  assert.equal(first.held, false);
  await first.release(); // the server released it with the connection
  const second = await waiting;
  assert.ok(second.fence > first.fence);
  const twice = second.release();
  assert.equal(second.release(), twice, 'release() is idempotent');
  await twice;
});

test('asking for a lock this connection already holds is invalid_argument', async () => {
  const [ts] = await agents(runId(), 1);
  const lock = await ts.lock('mine');
  await assert.rejects(ts.lock('mine', { timeoutMs: 100 }), (e) => e instanceof TestSyncError && e.code === 'invalid_argument' && e.command === 'lock');
  await lock.release();
});
