// The browser code path (the platform's own WebSocket, credentials in the query string) run in
// Node: a child process on Node's built-in WebSocket meets at a checkpoint, shares data, is
// refused with wrong credentials, and loses a connection (a relay cut) without hanging.

import assert from 'node:assert/strict';
import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startProxy } from './support/proxy.js';
import { PASSWORD, runId, startServer, USERNAME } from './support/server.js';

const here = dirname(fileURLToPath(import.meta.url));
// Node 20 and 21 have it behind a flag; Node 22+ by default; Node 18 not at all.
const flag = typeof globalThis.WebSocket === 'function' ? []
  : process.allowedNodeEnvironmentFlags.has('--experimental-websocket') ? ['--experimental-websocket'] : null;

let server;
let proxy;

before(async () => {
  server = await startServer();
  proxy = await startProxy(server.wsPort);
});

after(async () => {
  await proxy?.close();
  await server?.stop();
});

test('on Node built-in WebSocket the client meets, reads, is refused plainly and fails fast on loss', { skip: flag === null && 'this Node has no built-in WebSocket' }, async () => {
  const child = fork(join(here, 'support', 'native-agent.mjs'), [], {
    execArgv: [...flag, '--no-warnings'],
    env: { ...process.env, WS_URL: server.wsUrl, PROXY_URL: proxy.url, RUN_ID: runId('native'), USERNAME, PASSWORD },
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const report = await new Promise((resolve, reject) => {
    child.on('message', (message) => {
      if (message.cut) {
        proxy.cut();
        child.send({ cut: 'done' });
      } else if (message.report) {
        resolve(message.report);
      }
    });
    child.once('exit', (code) => reject(new Error(`the native agent exited with ${code} before reporting`)));
  });
  assert.equal(await exited, 0);

  assert.equal(report.nativeWebSocket, true);
  assert.equal(report.release.reason, 'complete');
  assert.equal(report.release.sameStart, true);
  assert.ok(report.release.resumedAt >= report.release.startAt - 1);
  assert.deepEqual(report.data, { from: 'native' });
  assert.equal(report.refused.name, 'TestSyncError');
  assert.equal(report.refused.code, 'connect_failed');
  assert.match(report.refused.message, /check the credentials/);
  assert.doesNotMatch(report.refused.message, /not-it/);
  assert.equal(report.lost.code, 'connection_lost');
  assert.ok(report.lost.msAfterCut < 1000, `failed ${Math.round(report.lost.msAfterCut)} ms after the cut`);
});
