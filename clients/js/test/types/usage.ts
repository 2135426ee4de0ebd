// Compiled by `tsc -p test/types` (never run): the declarations accept the README's usage and
// give the types a user relies on. A wrong declaration fails the type check.

import {
  CheckpointFailedError, CLIENT_CODES, Lock, Message, Release, Subscription, TestSync, TestSyncError,
} from 'testsync-client';

interface Address { ip: string }
declare function use(...values: unknown[]): void;

export async function usage(username: string, password: string): Promise<void> {
  const ts: TestSync = await TestSync.connect('ws://localhost:9105', { runId: 'run-42', username, password, agent: 'browser-7' });
  const stored: { stored: true; bytes: number } = await ts.setData({ room: 'r-1' });
  const data = await ts.data<{ room: string }>();
  if (data !== undefined && !(data instanceof Uint8Array)) use(data.room, stored.bytes);
  const n: number = await ts.connectionCount();
  try {
    const release: Release = await ts.checkpoint('logged-in', { target: 12, timeoutMs: 120000, failOnLeave: true });
    const startAt: number | undefined = release.startAt;
    use(n, startAt, release.raw['start_in_ms']);
  } catch (e) {
    if (e instanceof CheckpointFailedError) use(e.reason, e.joinedAgents.join(), e.absentAgents.join(), e.lost.length);
    else if (e instanceof TestSyncError && e.code === CLIENT_CODES.CONNECTION_LOST) await ts.reconnect();
    else throw e;
  }
  const seq: number = await ts.signalEntry('roles');
  const users: number = await ts.counter('users', 1);
  const published: number = await ts.publish('addresses', { ip: '10.0.0.7' });
  const sub: Subscription<Address> = ts.subscribe<Address>('addresses', { fromSeq: 1 });
  for await (const msg of sub) {
    const m: Message<Address> = msg;
    use(m.payload.ip, m.seq, seq, users, published);
    break;
  }
  const live = ts.subscribe('events', { onMessage: (m) => use(m.seq), onError: (e) => use(e.message) });
  await live.ready;
  await ts.unsubscribe('events');
  const ended: Error | null = await live.ended;
  const lock: Lock = await ts.lock('shared-account', { timeoutMs: 30000 });
  const fence: number = lock.fence;
  await lock.release();
  use(ended, fence, ts.agent, ts.connectionId, ts.connected, (await ts.closed).code);
  await ts.close();
}

// What the declarations must refuse (tsc fails if any of these compiles).
export async function mistakes(ts: TestSync): Promise<void> {
  // @ts-expect-error target is required
  await ts.checkpoint('c', { timeoutMs: 1 });
  // @ts-expect-error runId is required
  await TestSync.connect('ws://localhost:9105', { agent: 'a' });
  // @ts-expect-error counter resolves with a number
  const s: string = await ts.counter('users');
  // @ts-expect-error there is no unlock on TestSync: release the Lock
  await ts.unlock(s);
}
