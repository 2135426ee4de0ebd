// Each participant of a call runs this test in its own Nightwatch process (or machine); nobody
// starts the call before all TESTSYNC_AGENTS of the run are in the lobby:
//
//   export TESTSYNC_RUN_ID=call-$(date +%s) TESTSYNC_AGENTS=2
//   TESTSYNC_AGENT=alice npx nightwatch --config nightwatch.conf.cjs &
//   TESTSYNC_AGENT=bob   npx nightwatch --config nightwatch.conf.cjs; wait

const LOBBY = 'data:text/html,' + encodeURIComponent(`<!doctype html><title>call</title>
<p id="status">in lobby</p><button id="start">Start call</button>
<script>document.getElementById('start').onclick = () => { document.getElementById('status').textContent = 'in call'; };</script>`);

describe('call', function () {
  it('starts the call only when every participant is in the lobby', async function (browser) {
    await browser.navigateTo(process.env.APP_URL ?? LOBBY);
    await browser.assert.textContains('#status', 'in lobby');
    const release = await browser.waitForCheckpoint('call-lobby');
    browser.assert.equal(release.reason, 'complete');
    await browser.click('#start');
    await browser.assert.textContains('#status', 'in call');
  });
});
