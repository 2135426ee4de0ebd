// Nightwatch globals: close this worker's TestSync connection when its tests are done.
const { closeTestsync } = require('./testsync-agent.cjs');

module.exports = {
  async after() {
    await closeTestsync();
  },
};
