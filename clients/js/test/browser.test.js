// The client in a real browser: Debian's Chromium, driven by playwright-core, loads the package
// from a local static server and meets a Node agent at a checkpoint, reads data, takes a lock.
// The page uses the browser's own WebSocket, so its credentials travel in the query string.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CLIENT_CODES, TestSync } from '../src/index.js';
import { eventually } from './support/eventually.js';
import { serveStatic } from './support/static.js';
import { PASSWORD, runId, startServer, USERNAME } from './support/server.js';

const CHROMIUM = process.env.TESTSYNC_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
  '--disable-sync', '--no-first-run'];
const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');

let server;
let files;
let browser;
let page;
let nodeAgent;

before(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium (or set TESTSYNC_CHROMIUM)`);
  [server, files, browser] = await Promise.all([
    startServer(),
    serveStatic(packageDir),
    chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true }),
  ]);
  page = await browser.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`${files.url}/test/browser/page.html`);
  await page.waitForFunction(() => document.getElementById('state').textContent === 'ready');
  assert.deepEqual(problems, []);
});

after(async () => {
  await nodeAgent?.close();
  await browser?.close();
  await files?.close();
  await server?.stop();
});

test('a browser page meets a Node agent at a checkpoint, reads the data it set, and takes a lock', async () => {
  const run = runId('browser');
  nodeAgent = await TestSync.connect(server.wsUrl, server.agentOptions(run, { agent: 'node-agent' }));
  await nodeAgent.setData({ room: 'r-1', host: 'node-agent' });

  const welcome = await page.evaluate(async ({ url, options }) => {
    window.ts = await window.testsync.TestSync.connect(url, options);
    return { agent: window.ts.agent, protocol: window.ts.welcome.protocol, native: typeof WebSocket === 'function' };
  }, { url: server.wsUrl, options: { runId: run, username: USERNAME, password: PASSWORD, agent: 'browser-7' } });
  assert.deepEqual(welcome, { agent: 'browser-7', protocol: 'testsync.v1', native: true });
  assert.equal(await nodeAgent.connectionCount(), 2);

  const [inBrowser, inNode] = await Promise.all([
    page.evaluate(async () => {
      const release = await window.ts.checkpoint('logged-in', { target: 2, timeoutMs: 30000 });
      return { reason: release.reason, joined: release.joined, startAt: release.startAt, resumedAt: Date.now() };
    }),
    nodeAgent.checkpoint('logged-in', { target: 2, timeoutMs: 30000 }),
  ]);
  assert.equal(inBrowser.reason, 'complete');
  assert.equal(inBrowser.joined, 2);
  assert.equal(inBrowser.startAt, inNode.startAt);
  assert.ok(inBrowser.resumedAt >= inBrowser.startAt - 1, 'the page waited out start_in_ms');

  assert.deepEqual(await page.evaluate(() => window.ts.data()), { room: 'r-1', host: 'node-agent' });

  const fence = await page.evaluate(async () => {
    window.lock = await window.ts.lock('shared-account', { timeoutMs: 10000 });
    return window.lock.fence;
  });
  const busy = await nodeAgent.lock('shared-account', { timeoutMs: 200 }).catch((e) => e);
  assert.equal(busy.code, CLIENT_CODES.LOCK_TIMEOUT, String(busy));
  const waiting = nodeAgent.lock('shared-account', { timeoutMs: 10000 });
  await nodeAgent.counter('queued'); // the lock request ran before this reply
  await page.evaluate(() => window.lock.release());
  const mine = await waiting;
  assert.ok(mine.fence > fence);
  await mine.release();

  await page.evaluate(() => window.ts.close());
  await eventually('connections after the page closed', () => nodeAgent.connectionCount(), (n) => n === 1);
  // the browser never asked for the ws package: it used its own WebSocket
  assert.deepEqual(files.requests.filter((p) => !p.startsWith('/src/') && !['/test/browser/page.html', '/favicon.ico'].includes(p)), []);
});

test('in the browser, wrong credentials reject with connect_failed and a message that says what to check', async () => {
  const error = await page.evaluate(async ({ url, options }) => {
    try {
      await window.testsync.TestSync.connect(url, options);
      return null;
    } catch (e) {
      return { name: e.name, code: e.code, message: e.message };
    }
  }, { url: server.wsUrl, options: { runId: runId(), username: USERNAME, password: 'wrong-one' } });
  assert.equal(error.name, 'TestSyncError');
  assert.equal(error.code, CLIENT_CODES.CONNECT_FAILED);
  assert.match(error.message, /check the credentials/);
  assert.doesNotMatch(error.message, /wrong-one/);
});
