// What the real server never does, played by a bare WebSocket server on a real socket: a server
// that predates testsync.v1, and one whose first frame is not the welcome. The client must say
// so plainly instead of hanging or misreading replies.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { WebSocketServer } from 'ws';
import { CLIENT_CODES, TestSync, TestSyncError } from '../src/index.js';

const servers = [];

after(async () => {
  await Promise.all(servers.map((s) => new Promise((ok) => {
    for (const client of s.clients) client.terminate();
    s.close(() => ok());
  })));
});

async function bareServer(options, onConnection) {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0, ...options });
  servers.push(server);
  server.on('connection', onConnection);
  await new Promise((ok) => server.once('listening', ok));
  return `ws://127.0.0.1:${server.address().port}`;
}

test('a server that does not select testsync.v1 is a protocol_error that says to upgrade it', async () => {
  const url = await bareServer({ handleProtocols: () => false }, () => {});
  const error = await TestSync.connect(url, { runId: 'old' }).catch((e) => e);
  assert.ok(error instanceof TestSyncError, String(error));
  assert.equal(error.code, CLIENT_CODES.PROTOCOL_ERROR);
  assert.match(error.message, /did not select the testsync\.v1 subprotocol: the server predates protocol v1; upgrade it/);
});

test('a first frame that is not the welcome is a protocol_error naming it', async () => {
  const url = await bareServer({}, (socket) => socket.send('{"command":"get_connection_count","content":{"count":1}}'));
  const error = await TestSync.connect(url, { runId: 'odd' }).catch((e) => e);
  assert.ok(error instanceof TestSyncError, String(error));
  assert.equal(error.code, CLIENT_CODES.PROTOCOL_ERROR);
  assert.match(error.message, /sent \{"command":"get_connection_count".*before its welcome frame/);
});

test('no welcome within connectTimeoutMs is a protocol_error, not a hang', async () => {
  const url = await bareServer({}, () => {});
  const error = await TestSync.connect(url, { runId: 'mute', connectTimeoutMs: 300 }).catch((e) => e);
  assert.ok(error instanceof TestSyncError, String(error));
  assert.equal(error.code, CLIENT_CODES.PROTOCOL_ERROR);
  assert.match(error.message, /no welcome frame within 300 ms/);
});

test('a frame that is not JSON ends the connection and fails the waiting call with protocol_error', async () => {
  const url = await bareServer({}, (socket) => {
    socket.send('{"command":"welcome","content":{"protocol":"testsync.v1","run":"r","agent":"a","connection":"1","server_time_ms":0,"limits":{}}}');
    socket.on('message', () => socket.send('this is not json'));
  });
  const ts = await TestSync.connect(url, { runId: 'r' });
  const error = await ts.counter('x').catch((e) => e);
  assert.ok(error instanceof TestSyncError, String(error));
  assert.equal(error.code, CLIENT_CODES.PROTOCOL_ERROR);
  assert.match(error.message, /not JSON: this is not json/);
  assert.equal(ts.connected, false);
});
