// Child process of native.test.js: the client on Node's built-in WebSocket (the browser API, as
// Node 22+ has by default), so credentials go in the query string as in a browser. It reports
// what it saw to the parent, which cuts its relayed connection when asked.

import { TestSync } from '../../src/index.js';

const { WS_URL, PROXY_URL, RUN_ID, USERNAME, PASSWORD } = process.env;
const options = (agent) => ({ runId: RUN_ID, username: USERNAME, password: PASSWORD, agent });
const ask = (message) => new Promise((resolve) => {
  process.once('message', resolve);
  process.send(message);
});
const describe = (e) => ({ name: e.name, code: e.code, message: e.message });

const report = { nativeWebSocket: typeof globalThis.WebSocket === 'function' };
const a = await TestSync.connect(WS_URL, options('native-a'));
const b = await TestSync.connect(PROXY_URL, options('native-b'));
const [ra, rb] = await Promise.all([a.checkpoint('both', { target: 2 }), b.checkpoint('both', { target: 2 })]);
report.release = { reason: ra.reason, sameStart: ra.startAt === rb.startAt, resumedAt: Date.now(), startAt: ra.startAt };
await a.setData({ from: 'native' });
report.data = await b.data();
report.refused = await TestSync.connect(WS_URL, { ...options('x'), password: 'not-it' }).catch(describe);

const waiting = b.checkpoint('never', { target: 3, timeoutMs: 0 }).catch((e) => ({ ...describe(e), at: performance.now() }));
await b.counter('joined'); // the join has run
const cutAt = performance.now();
await ask({ cut: true });
const lost = await waiting;
report.lost = { code: lost.code, name: lost.name, msAfterCut: lost.at - cutAt };
await a.close();
process.send({ report });
