// The live page (SPEC §10) in a real headless Chromium against the built jar: a run's agents appear
// as they connect, a checkpoint shows who is missing, and the release button unsticks the agents.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { startServer } from './server.mjs';
import { Agent } from './agent.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SCREENSHOT = path.join(here, 'target', 'live-page.png');
const AGENT_AUTH = { user: 'agent', password: 'agent-secret', protocol: process.env.TESTSYNC_AGENT_PROTOCOL ?? 'testsync.v1' };
const ADMIN = { username: 'operator', password: 'operator-secret' };
const RUN = 'checkout-load-42';

let server;
let browser;
const agents = [];

before(async () => {
  server = await startServer({
    TESTSYNC_SYNC_CLIENT_USERNAME: AGENT_AUTH.user, TESTSYNC_SYNC_CLIENT_PASSWORD: AGENT_AUTH.password,
    TESTSYNC_ADMIN_USERNAME: ADMIN.username, TESTSYNC_ADMIN_PASSWORD: ADMIN.password,
  });
  browser = await chromium.launch({
    executablePath: process.env.TESTSYNC_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run'],
  });
});

after(async () => {
  for (const a of agents) a.ws.terminate();
  await browser?.close();
  await server?.stop();
});

async function agent(run, name) {
  const a = await Agent.connect(server.base, run, name, AGENT_AUTH);
  agents.push(a);
  return a;
}

test('the page follows a run live and its release button unsticks the agents', async () => {
  // another run, so the list has more than one row
  await agent('smoke-nightly-7', 'smoke-1');
  await agent('smoke-nightly-7', 'smoke-2');
  const names = ['alice', 'bob', 'carol', 'dave', 'erin'];
  const five = [];
  for (const n of names) five.push(await agent(RUN, n));
  // some of the toolkit in use, so every section of the page has something to show
  const [alice, bob, carol, dave] = five;
  alice.send('counter', { name: 'accounts-used', add: 5 });
  alice.send('signal_entry', { state: 'host' });
  alice.send('publish', { topic: 'room', payload: { url: 'https://meet.example/r/42' } });
  bob.send('subscribe', { topic: 'room' });
  carol.send('lock', { name: 'shared-account', timeout_ms: 0 });
  await carol.next((f) => f.command === 'lock' && f.content.acquired === true);
  dave.send('lock', { name: 'shared-account', timeout_ms: 0 });
  await bob.next((f) => f.command === 'message');
  await fetch(`${server.base}/tests/${RUN}`, { method: 'PUT', body: JSON.stringify({ users: 500, region: 'eu' }),
    headers: { 'Content-Type': 'application/json',
      Authorization: `Basic ${Buffer.from(`${AGENT_AUTH.user}:${AGENT_AUTH.password}`).toString('base64')}` } });

  const context = await browser.newContext({ httpCredentials: ADMIN, viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  let navigations = 0;
  page.on('framenavigated', (f) => { if (f === page.mainFrame()) navigations++; });

  await page.goto(`${server.base}/ui/#/runs/${RUN}`);
  const row = page.locator(`#runs-body tr[data-run="${RUN}"]`);
  await row.locator('td').nth(1).filter({ hasText: /^5$/ }).waitFor();
  await page.locator('#detail tr[data-connection]').nth(4).waitFor();
  assert.equal(await page.locator('#detail tr[data-connection]').count(), 5);
  assert.equal(await page.locator('#link').textContent(), 'live');

  // a sixth agent connects: it appears without a reload
  const frank = await agent(RUN, 'frank');
  await row.locator('td').nth(1).filter({ hasText: /^6$/ }).waitFor();
  await page.locator('#detail tr[data-connection]').nth(5).waitFor();
  assert.deepEqual((await page.locator('#detail tr[data-connection] td:first-child').allTextContents()).sort(),
    [...names, 'frank'].sort());

  // three of six join: the page names the three who have not
  for (const a of five.slice(0, 3)) a.send('wait_checkpoint', { identifier: 'all-in', target_count: 6, timeout_ms: 0 });
  const cp = page.locator('#detail .cp[data-checkpoint="all-in"]');
  await cp.locator('.ratio', { hasText: '3 of 6 joined' }).waitFor();
  assert.equal(await cp.locator('dd.joined').textContent(), 'alice, bob, carol');
  assert.equal(await cp.locator('dd.missing').textContent(), 'dave, erin, frank');
  assert.equal(await row.locator('td').nth(2).textContent(), '1');

  // the toolkit's state is on the page too
  await page.locator('#detail td', { hasText: 'accounts-used' }).waitFor();
  await page.locator('#detail td', { hasText: 'carol (' }).waitFor();
  assert.match(await page.locator('#detail .facts').textContent(), /data: 27 bytes, application\/json/);
  await page.locator('#detail td', { hasText: /^dave \(/ }).waitFor();

  mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  // release, behind a confirmation
  await cp.locator('button[data-action="release"]').click();
  const dialog = page.locator('dialog#confirm');
  await dialog.waitFor({ state: 'visible' });
  assert.match(await page.locator('#confirm-text').textContent(), /Release checkpoint “all-in” of run checkout-load-42\?/);
  await page.locator('#confirm-ok').click();
  for (const a of five.slice(0, 3)) {
    const release = await a.next((f) => f.command === 'wait_checkpoint');
    assert.equal(release.content.identifier, 'all-in');
    assert.equal(release.content.finished, false);
    assert.equal(release.content.reason, 'operator_released');
    assert.deepEqual([...release.content.joined_agents].sort(), ['alice', 'bob', 'carol']);
    assert.deepEqual([...release.content.absent_agents].sort(), ['dave', 'erin', 'frank']);
  }
  await cp.waitFor({ state: 'detached' });
  await page.locator('.toast', { hasText: 'Released 3 agents from “all-in”.' }).waitFor();
  assert.equal(await row.locator('td').nth(2).textContent(), '0');
  for (const a of [...five.slice(3), frank]) assert.equal(a.frames.filter((f) => f.command === 'wait_checkpoint').length, 0);

  assert.equal(navigations, 1, 'the page must never reload');
  assert.deepEqual(requested.filter((u) => !u.startsWith(server.base)), [], 'everything comes from the server itself');
  assert.deepEqual(problems, []);
  await context.close();
});

test('the agents\' credentials do not open the page when admin credentials are set', async () => {
  const context = await browser.newContext({ httpCredentials: { username: AGENT_AUTH.user, password: AGENT_AUTH.password } });
  const page = await context.newPage();
  const res = await page.goto(`${server.base}/ui/`);
  assert.equal(res.status(), 401);
  await context.close();
});
