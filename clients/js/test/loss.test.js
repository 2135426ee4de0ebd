// Connection loss: every waiting call fails at once (never hangs), nothing reconnects by itself,
// and reconnect() opens a new connection. The loss is real: a TCP relay cut, or the server killed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CLIENT_CODES, TestSync, TestSyncError } from '../src/index.js';
import { startProxy } from './support/proxy.js';
import { runId, startServer } from './support/server.js';

let server;
let proxy;
const open = [];

before(async () => {
  server = await startServer();
  proxy = await startProxy(server.wsPort);
});

after(async () => {
  await Promise.all(open.map((ts) => ts.close()));
  await proxy?.close();
  await server?.stop();
});

async function agent(url, run, name) {
  const ts = await TestSync.connect(url, server.agentOptions(run, { agent: name }));
  open.push(ts);
  return ts;
}

function lost(error) {
  return error instanceof TestSyncError && error.code === CLIENT_CODES.CONNECTION_LOST;
}

test('a cut connection fails a checkpoint wait, a lock wait and a subscription within 1 s, all at once', async () => {
  const run = runId();
  const holder = await agent(server.wsUrl, run, 'holder');
  await holder.lock('held-elsewhere');
  const ts = await agent(proxy.url, run, 'cut-off');
  let reported;
  const onErrorCalled = new Promise((resolve) => { reported = resolve; });

  const checkpoint = ts.checkpoint('never', { target: 3, timeoutMs: 0 }).catch((e) => e);
  const lockWait = ts.lock('held-elsewhere', { timeoutMs: 0 }).catch((e) => e);
  const iterated = ts.subscribe('news');
  const callback = ts.subscribe('more-news', { onMessage: () => {}, onError: reported });
  await Promise.all([iterated.ready, callback.ready]);
  const nextMessage = iterated.next().catch((e) => e);
  assert.equal(await holder.connectionCount(), 2, 'both joined the run');

  const cutAt = performance.now();
  proxy.cut();
  const [c, l, m] = await Promise.all([checkpoint, lockWait, nextMessage]);
  const elapsed = performance.now() - cutAt;
  assert.ok(elapsed < 1000, `calls failed ${Math.round(elapsed)} ms after the cut`);
  for (const error of [c, l, m]) assert.ok(lost(error), String(error));
  assert.equal(c, l, 'one error for every waiting call');
  assert.match(c.message, /lost.*reconnect\(\)/);
  assert.equal(c.closeCode, 1006);
  assert.ok(lost(await onErrorCalled));
  assert.ok(lost(await iterated.ended));
  assert.equal(ts.connected, false);
  assert.equal((await ts.closed).byClient, false);

  // nothing reconnects by itself: later calls fail at once
  await assert.rejects(ts.counter('x'), lost);
  assert.equal(proxy.open, 0);
});

test('reconnect() after a loss opens a new connection; the lock wait did not survive the old one', async () => {
  const run = runId();
  const ts = await agent(proxy.url, run, 'phoenix');
  const before = ts.connectionId;
  const lock = await ts.lock('was-mine');
  proxy.cut();
  await ts.closed;
  assert.equal(lock.held, false);
  await lock.release(); // released by the server with the connection: nothing to do

  await ts.reconnect();
  assert.equal(ts.connected, true);
  assert.notEqual(ts.connectionId, before);
  assert.equal(ts.agent, 'phoenix');
  const again = await ts.lock('was-mine', { timeoutMs: 5000 });
  assert.ok(again.fence > lock.fence);
  await again.release();
});

test('the server killed during a checkpoint wait: the wait fails within 1 s', async () => {
  const doomed = await startServer();
  try {
    const ts = await TestSync.connect(doomed.wsUrl, doomed.agentOptions(runId(), { agent: 'survivor' }));
    const waiting = ts.checkpoint('forever', { target: 2, timeoutMs: 0 }).catch((e) => e);
    await ts.counter('joined'); // the join has run
    const killedAt = performance.now();
    await doomed.kill();
    const error = await waiting;
    const elapsed = performance.now() - killedAt;
    assert.ok(lost(error), String(error));
    assert.ok(elapsed < 1000, `the wait failed ${Math.round(elapsed)} ms after the kill`);
    await assert.rejects(ts.reconnect(), (e) => e instanceof TestSyncError && e.code === CLIENT_CODES.CONNECT_FAILED);
  } finally {
    await doomed.kill();
  }
});
