// signal_entry, counter, publish/subscribe/unsubscribe through the client, against the real server.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { TestSync, TestSyncError } from '../src/index.js';
import { runId, startServer } from './support/server.js';

let server;
const open = [];

before(async () => {
  server = await startServer();
});

after(async () => {
  await Promise.all(open.map((ts) => ts.close()));
  await server?.stop();
});

async function agents(run, n) {
  const list = await Promise.all(Array.from({ length: n }, (_, i) => TestSync.connect(server.wsUrl, server.agentOptions(run, { agent: `t-${i}` }))));
  open.push(...list);
  return list;
}

test('signalEntry numbers the agents of a state 1..n without gaps, per state', async () => {
  const list = await agents(runId(), 5);
  const seqs = await Promise.all(list.map((ts) => ts.signalEntry('roles')));
  assert.deepEqual([...seqs].sort((x, y) => x - y), [1, 2, 3, 4, 5]);
  assert.equal(await list[0].signalEntry('other-state'), 1);
  assert.equal(await list[0].signalEntry('roles'), 6);
});

test('counter adds atomically across agents and reads with add 0', async () => {
  const list = await agents(runId(), 10);
  const values = await Promise.all(list.map((ts) => ts.counter('users', 1)));
  assert.deepEqual([...values].sort((x, y) => x - y), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(await list[3].counter('users'), 10);
  assert.equal(await list[3].counter('users', -4), 6);
  assert.equal(await list[3].counter('fresh'), 0);
  await assert.rejects(list[3].counter('users', 2 ** 53), (e) => e instanceof TestSyncError && e.code === 'invalid_argument');
  assert.equal(await list[3].counter('users'), 6, 'a refused add changes nothing');
});

test('subscribe as an async iterator: replay from fromSeq, then live messages in order; leaving the loop unsubscribes', async () => {
  const [publisher, subscriber] = await agents(runId(), 2);
  assert.equal(await publisher.publish('addresses', { ip: '10.0.0.7' }), 1);
  assert.equal(await publisher.publish('addresses', 'two'), 2);
  assert.equal(await publisher.publish('addresses', null), 3);

  const sub = subscriber.subscribe('addresses', { fromSeq: 2 });
  assert.deepEqual(await sub.ready, { topic: 'addresses', subscribed: true });
  const seen = [];
  for await (const message of sub) {
    seen.push(message);
    if (message.seq === 3) {
      await publisher.publish('addresses', [4]);
      await publisher.publish('addresses', { five: 5 });
    }
    if (message.seq === 5) break;
  }
  assert.deepEqual(seen.map((m) => m.seq), [2, 3, 4, 5]);
  assert.deepEqual(seen.map((m) => m.payload), ['two', null, [4], { five: 5 }]);
  for (const m of seen) {
    assert.equal(m.topic, 'addresses');
    assert.equal(typeof m.publishedAtMs, 'number');
    assert.equal(m.raw.published_at_ms, m.publishedAtMs);
  }
  assert.equal(sub.active, false);
  assert.equal(await sub.ended, null);

  // the server no longer counts it as followed: subscribing again is allowed, and replays from 1
  const again = subscriber.subscribe('addresses');
  const first = await again.next();
  assert.equal(first.value.seq, 1);
  assert.deepEqual(first.value.payload, { ip: '10.0.0.7' });
  await again.unsubscribe();
  assert.deepEqual(await again.next(), { value: undefined, done: true });
});

test('subscribe with onMessage, and ts.unsubscribe(topic) ends it', async () => {
  const [publisher, subscriber] = await agents(runId(), 2);
  const got = [];
  let third;
  const arrived = new Promise((resolve) => { third = resolve; });
  const sub = subscriber.subscribe('events', {
    onMessage: (m) => {
      got.push(m.payload);
      if (got.length === 3) third();
    },
  });
  await sub.ready;
  await publisher.publish('events', 'a');
  await publisher.publish('events', 'b');
  await publisher.publish('events', 'c');
  await arrived;
  assert.deepEqual(got, ['a', 'b', 'c']);
  await assert.rejects(sub.next(), { name: 'TypeError', message: /onMessage/ });

  assert.deepEqual(await subscriber.unsubscribe('events'), { topic: 'events', unsubscribed: true });
  assert.equal(sub.active, false);
  assert.equal(await sub.ended, null);
  const resubscribed = subscriber.subscribe('events', { fromSeq: 3 });
  assert.equal((await resubscribed.next()).value.payload, 'c');
});

test('a second subscribe to a followed topic is refused: ready rejects and iterating throws the error', async () => {
  const [ts] = await agents(runId(), 1);
  const first = ts.subscribe('dup');
  await first.ready;
  const second = ts.subscribe('dup');
  const error = await second.ready.catch((e) => e);
  assert.ok(error instanceof TestSyncError, String(error));
  assert.equal(error.code, 'invalid_argument');
  assert.equal(error.command, 'subscribe');
  await assert.rejects(second.next(), (e) => e === error);
  assert.deepEqual(await second.next(), { value: undefined, done: true });
  assert.equal(await second.ended, error);
  assert.equal(first.active, true, 'the refused duplicate does not end the first');
  await ts.publish('dup', 1);
  assert.equal((await first.next()).value.payload, 1);
});

test('close() ends subscriptions cleanly: ended resolves null and onError is not called', async () => {
  const [ts] = await agents(runId(), 1);
  let reported;
  const ended = new Promise((resolve) => { reported = resolve; });
  const sub = ts.subscribe('watch', { onMessage: () => {}, onError: reported });
  await sub.ready;
  await ts.close(); // a close by the client ends subscriptions cleanly: no error
  assert.equal(await sub.ended, null);
  assert.equal(await Promise.race([ended, Promise.resolve('not reported')]), 'not reported');
});

test('unsubscribe(topic) sent before the subscribe reply still ends the subscription', async () => {
  const [ts] = await agents(runId(), 1);
  const sub = ts.subscribe('quick');
  await ts.unsubscribe('quick');
  assert.equal(sub.active, false);
  assert.deepEqual(await sub.ready, { topic: 'quick', subscribed: true });
  assert.deepEqual(await sub.next(), { value: undefined, done: true });
});
