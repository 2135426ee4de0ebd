// Each participant of a call runs this test in its own Nightwatch process (or machine); nobody
// starts the call before all TESTSYNC_AGENTS of the run are in the lobby:
//
//   export TESTSYNC_RUN_ID=call-$(date +%s) TESTSYNC_AGENTS=2
//   TESTSYNC_AGENT=alice CHROMEDRIVER_PORT=9515 npx nightwatch --config nightwatch.conf.cjs &
//   TESTSYNC_AGENT=bob   CHROMEDRIVER_PORT=9516 npx nightwatch --config nightwatch.conf.cjs; wait

const path = require('node:path');
const { pathToFileURL } = require('node:url');

// The application under test; a real suite sets APP_URL to its own.
const LOBBY = pathToFileURL(path.join(__dirname, '..', 'app', 'lobby.html')).href;

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
