// Connecting, the welcome, data, connection counts, server errors, close() and reconnect(),
// against the real server jar.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { CLIENT_CODES, TestSync, TestSyncError } from '../src/index.js';
import { eventually } from './support/eventually.js';
import { freePort, PASSWORD, runId, startServer, USERNAME } from './support/server.js';

let server;
const open = [];

before(async () => {
  server = await startServer();
});

after(async () => {
  await Promise.all(open.map((ts) => ts.close()));
  await server?.stop();
});

async function agent(run, more = {}) {
  const ts = await TestSync.connect(server.wsUrl, server.agentOptions(run, more));
  open.push(ts);
  return ts;
}

test('the welcome names the protocol, the run, the agent and the connection', async () => {
  const run = runId();
  const named = await agent(run, { agent: 'node-1:a' });
  assert.equal(named.welcome.protocol, 'testsync.v1');
  assert.equal(named.welcome.run, run);
  assert.equal(named.agent, 'node-1:a');
  assert.equal(named.runId, run);
  assert.equal(typeof named.connectionId, 'string');
  assert.ok(named.connectionId.length > 0);
  assert.equal(typeof named.welcome.server_time_ms, 'number');
  assert.equal(typeof named.limits.max_data_bytes, 'number');
  assert.equal(named.connected, true);

  const unnamed = await agent(run);
  assert.match(unnamed.agent, /^agent-\d+$/);
  assert.notEqual(unnamed.connectionId, named.connectionId);
});

test('connectionCount counts this run live connections, and a closed one stops counting at once', async () => {
  const run = runId();
  const a = await agent(run);
  const b = await agent(run);
  await agent(runId()); // another run does not count
  assert.equal(await a.connectionCount(), 2);
  await b.close();
  // the server forgets b when its side of the socket closes, which may be just after b's side
  await eventually('connections after b closed', () => a.connectionCount(), (n) => n === 1);
});

test('setData stores the JSON text, data() reads the value back, and HTTP sees the same bytes', async () => {
  const run = runId();
  const ts = await agent(run);
  assert.equal(await ts.data(), undefined);
  assert.deepEqual(await ts.readData(), { exists: false });

  const value = { room: 'r-1', seats: [1, 2, 3], host: null, note: 'grüße' };
  const text = JSON.stringify(value);
  assert.deepEqual(await ts.setData(value), { stored: true, bytes: new TextEncoder().encode(text).length });
  assert.deepEqual(await ts.data(), value);
  const raw = await ts.readData();
  assert.equal(raw.exists, true);
  assert.equal(raw.content_type, 'application/json');

  const res = await fetch(`${server.httpUrl}/tests/${run}`, { headers: { Authorization: server.authorization } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/json');
  assert.equal(await res.text(), text);

  await ts.setData(null);
  assert.deepEqual(await ts.readData(), { exists: true, content_type: 'application/json', data: null });
  assert.equal(await ts.data(), null);
});

test('data() gives the bytes as a Uint8Array when HTTP stored something that is not JSON', async () => {
  const run = runId();
  const bytes = new Uint8Array([0, 1, 2, 250, 255]);
  const res = await fetch(`${server.httpUrl}/tests/${run}`, {
    method: 'PUT',
    headers: { Authorization: server.authorization, 'Content-Type': 'application/octet-stream' },
    body: bytes,
  });
  assert.equal(res.status, 200);
  const ts = await agent(run);
  assert.deepEqual(await ts.data(), bytes);
  const raw = await ts.readData();
  assert.equal(raw.content_type, 'application/octet-stream');
  assert.equal(raw.data_base64, 'AAEC+v8=');
});

test('a server error rejects with TestSyncError and its stable code, and the connection stays usable', async () => {
  const ts = await agent(runId());
  const error = await ts.counter('logins', 1.5).catch((e) => e);
  assert.ok(error instanceof TestSyncError, String(error));
  assert.equal(error.code, 'invalid_argument');
  assert.equal(error.command, 'counter');
  assert.equal(error.reply.code, 'invalid_argument');
  assert.match(error.message, /add/);

  const badTarget = await ts.checkpoint('c', { target: 0 }).catch((e) => e);
  assert.ok(badTarget instanceof TestSyncError);
  assert.equal(badTarget.code, 'invalid_argument');
  assert.equal(badTarget.command, 'wait_checkpoint');

  assert.equal(await ts.counter('logins', 1), 1);
});

test('wrong credentials reject with connect_failed, the 401 and the server message, never the password', async () => {
  const error = await TestSync.connect(server.wsUrl, { runId: runId(), username: USERNAME, password: 'not-it' }).catch((e) => e);
  assert.ok(error instanceof TestSyncError, String(error));
  assert.equal(error.code, CLIENT_CODES.CONNECT_FAILED);
  assert.equal(error.status, 401);
  assert.match(error.message, /HTTP 401/);
  assert.doesNotMatch(error.message, /not-it/);

  const none = await TestSync.connect(server.wsUrl, { runId: runId() }).catch((e) => e);
  assert.equal(none.code, CLIENT_CODES.CONNECT_FAILED);
  assert.equal(none.status, 401);
});

test('no server at the address rejects with connect_failed', async () => {
  const port = await freePort();
  const error = await TestSync.connect(`ws://127.0.0.1:${port}`, { runId: 'x', username: USERNAME, password: PASSWORD }).catch((e) => e);
  assert.ok(error instanceof TestSyncError, String(error));
  assert.equal(error.code, CLIENT_CODES.CONNECT_FAILED);
  assert.match(error.message, /ECONNREFUSED/);
});

test('bad options are refused before connecting, naming the option', async () => {
  await assert.rejects(TestSync.connect(server.wsUrl, { runId: 'a/b' }), { name: 'TypeError', message: /runId must be/ });
  await assert.rejects(TestSync.connect(server.wsUrl, {}), { name: 'TypeError', message: /runId must be/ });
  await assert.rejects(TestSync.connect(server.wsUrl, { runId: 'r', agent: 'has space' }), { name: 'TypeError', message: /agent must be/ });
  await assert.rejects(TestSync.connect('localhost:9105', { runId: 'r' }), { name: 'TypeError', message: /url must/ });
  await assert.rejects(TestSync.connect(server.wsUrl, { runId: 'r', password: 'x' }), { name: 'TypeError', message: /without username/ });

  const ts = await agent(runId());
  await assert.rejects(ts.setData(undefined), { name: 'TypeError', message: /setData/ });
  await assert.rejects(ts.publish('t'), { name: 'TypeError', message: /payload/ });
  await assert.rejects(ts.checkpoint('c', {}), { name: 'TypeError', message: /target/ });
});

test('close(): the server closes with 1000, calls waiting fail with closed, later calls too', async () => {
  const run = runId();
  const ts = await agent(run);
  const waiting = ts.checkpoint('never-complete', { target: 2, timeoutMs: 0 });
  await ts.counter('joined', 1); // the join ran before this reply (one connection runs its commands in order)
  await ts.close();
  assert.equal(ts.connected, false);
  const closed = await ts.closed;
  assert.equal(closed.code, 1000);
  assert.equal(closed.byClient, true);
  const failed = await waiting.catch((e) => e);
  assert.ok(failed instanceof TestSyncError, String(failed));
  assert.equal(failed.code, CLIENT_CODES.CLOSED);
  await assert.rejects(ts.counter('joined'), { code: CLIENT_CODES.CLOSED, message: /reconnect\(\)/ });
  await ts.close(); // twice is fine
});

test('reconnect() after close() opens a new connection of the same run and agent', async () => {
  const run = runId();
  const ts = await agent(run, { agent: 'phoenix' });
  await ts.setData({ kept: true });
  const first = ts.connectionId;
  await ts.close();
  assert.equal(await ts.reconnect(), ts);
  assert.equal(ts.connected, true);
  assert.notEqual(ts.connectionId, first);
  assert.equal(ts.agent, 'phoenix');
  assert.deepEqual(await ts.data(), { kept: true });
  assert.equal(await ts.connectionCount(), 1);
});
