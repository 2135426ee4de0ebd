// Two participants of a video call, each in its own browser context, must not start the call
// until both are in the lobby: they meet at a TestSync checkpoint, then click "Start call" at the
// same instant. In a real fleet each participant is its own Playwright worker or machine, all
// with the same TESTSYNC_RUN_ID; here both live in one test so the example runs on one machine.
//
//   java -jar server/target/testsync.jar        (a TestSync server; ws://localhost:9105)
//   cd clients/js/examples/playwright && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install && npx playwright test
import { expect, test } from '@playwright/test';
import { TestSync } from 'testsync-client';

const SERVER = process.env.TESTSYNC_URL ?? 'ws://localhost:9105';
const RUN_ID = process.env.TESTSYNC_RUN_ID ?? `call-${Date.now()}`;
const CREDENTIALS = process.env.TESTSYNC_USER
  ? { username: process.env.TESTSYNC_USER, password: process.env.TESTSYNC_PASS ?? '' }
  : {};

// Stands in for the application under test: a lobby with a "Start call" button.
const CALL_PAGE = `<!doctype html><title>call</title>
<p id="status">in lobby</p><button id="start">Start call</button>
<script>
  document.getElementById('start').onclick = () => {
    document.getElementById('status').textContent = 'in call';
  };
</script>`;

async function participant(browser, name, expected) {
  const context = await browser.newContext();
  const ts = await TestSync.connect(SERVER, { runId: RUN_ID, agent: name, ...CREDENTIALS });
  try {
    const page = await context.newPage();
    await page.setContent(CALL_PAGE);
    await expect(page.locator('#status')).toHaveText('in lobby');
    // Nobody starts the call before everyone is in the lobby; if a participant's connection
    // drops while the others wait, failOnLeave fails them at once instead of at the timeout.
    const release = await ts.checkpoint('call-lobby', { target: expected, timeoutMs: 60000, failOnLeave: true });
    await page.click('#start');
    await expect(page.locator('#status')).toHaveText('in call');
    return release;
  } finally {
    await ts.close();
    await context.close();
  }
}

test('alice and bob meet at a checkpoint before the call starts', async ({ browser }) => {
  const [alice, bob] = await Promise.all([participant(browser, 'alice', 2), participant(browser, 'bob', 2)]);
  expect(alice.reason).toBe('complete');
  expect(bob.startAt).toBe(alice.startAt); // both resumed at the same server instant
});
