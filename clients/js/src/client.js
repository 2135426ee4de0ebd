// The public client: one method per command of protocol testsync.v1 (SPEC §3, §4, §9).

import { CheckpointFailedError, CLIENT_CODES, TestSyncError } from './errors.js';
import { Connection } from './connection.js';
import { Lock } from './lock.js';
import { toRelease, waitUntil } from './release.js';
import { Subscription } from './subscription.js';

const RUN_ID = /^[A-Za-z0-9._-]{1,128}$/;
const AGENT = /^[A-Za-z0-9._:-]{1,128}$/;
const DEFAULT_CONNECT_TIMEOUT_MS = 10000;

/** An agent of one TestSync run, connected over WebSocket (protocol testsync.v1). */
export class TestSync {
  #url;
  #options;
  #connection;
  #subscriptions = new Map(); // topic -> Subscription of the current connection

  /** Use TestSync.connect(). */
  constructor(url, options, connection) {
    this.#url = url;
    this.#options = options;
    this.#connection = connection;
  }

  /**
   * Connects to the server at `url` (e.g. ws://localhost:9105) as an agent of `runId`, and
   * resolves once the server has welcomed it.
   */
  static async connect(url, { runId, username, password, agent, connectTimeoutMs = DEFAULT_CONNECT_TIMEOUT_MS } = {}) {
    if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
      throw new TypeError(`runId must be 1-128 characters from A-Z a-z 0-9 . _ - (the run's test ID), got ${JSON.stringify(runId)}`);
    }
    if (agent !== undefined && (typeof agent !== 'string' || !AGENT.test(agent))) {
      throw new TypeError(`agent must be 1-128 characters from A-Z a-z 0-9 . _ - :, got ${JSON.stringify(agent)}; leave it out to be named agent-<n>`);
    }
    if (username !== undefined && typeof username !== 'string') throw new TypeError('username must be a string');
    if (password !== undefined && typeof password !== 'string') throw new TypeError('password must be a string');
    if (password !== undefined && username === undefined) throw new TypeError('password given without username: pass both or neither');
    if (!Number.isInteger(connectTimeoutMs) || connectTimeoutMs <= 0) throw new TypeError('connectTimeoutMs must be a positive integer');
    const options = Object.freeze({ runId, username, password, agent, connectTimeoutMs });
    return new TestSync(url, options, await Connection.open(url, options));
  }

  /** The run this agent belongs to. */
  get runId() {
    return this.#options.runId;
  }

  /** The server's welcome: `{ protocol, run, agent, connection, server_time_ms, limits }`. */
  get welcome() {
    return this.#connection.welcome;
  }

  /** The name the server knows this agent by (the `agent` option, or `agent-<n>`). */
  get agent() {
    return this.welcome.agent;
  }

  /** The server-made id of the current connection. */
  get connectionId() {
    return this.welcome.connection;
  }

  /** The server's limits as the welcome frame announced them (max_data_bytes, ...). */
  get limits() {
    return this.welcome.limits;
  }

  /** True until the connection ends or close() is called. */
  get connected() {
    return this.#connection.isOpen;
  }

  /** Settles when the current connection ends: `{ code, reason, byClient }`. Never rejects. */
  get closed() {
    return this.#connection.closed;
  }

  /** Stores `value` (serialized with JSON.stringify) as the run's data; resolves once acknowledged. */
  async setData(value) {
    if (value === undefined) throw new TypeError('setData(value) needs a JSON value; null is one, undefined is not');
    return (await this.#call('update_data', value)).content;
  }

  /**
   * The run's data: the stored JSON value, a Uint8Array when the stored bytes are not JSON
   * (written over HTTP), or undefined when the run has no data.
   */
  async data() {
    const reply = await this.readData();
    if (!reply.exists) return undefined;
    if ('data' in reply) return reply.data;
    return fromBase64(reply.data_base64);
  }

  /** read_data's reply as the server sent it: `{ exists, content_type, data | data_base64 }`. */
  async readData() {
    return (await this.#call('read_data')).content;
  }

  /** Live connections of this run, this one included. */
  async connectionCount() {
    return (await this.#call('get_connection_count')).content.count;
  }

  /**
   * Joins checkpoint `identifier` and resolves at the common start instant: once the server's
   * release has arrived and its `start_in_ms` has passed (unless `waitForStart` is false). A
   * release that is not complete rejects with CheckpointFailedError.
   */
  async checkpoint(identifier, { target, timeoutMs, failOnLeave, waitForStart = true } = {}) {
    if (target === undefined) throw new TypeError(`checkpoint("${identifier}", { target }) needs target: how many agents meet there`);
    const content = { identifier, target_count: target };
    if (timeoutMs !== undefined) content.timeout_ms = timeoutMs;
    if (failOnLeave !== undefined) content.fail_on_leave = failOnLeave;
    const { content: raw, receivedAt } = await this.#call('wait_checkpoint', content);
    const release = toRelease(raw);
    if (!release.finished) throw new CheckpointFailedError(release);
    if (waitForStart) await waitUntil(receivedAt + (release.startInMs ?? 0));
    return release;
  }

  /** Signals entry into `state`; resolves with this agent's number there: 1, 2, 3... */
  async signalEntry(state) {
    return (await this.#call('signal_entry', { state })).content.seq;
  }

  /** Adds `add` (default 0: just read) to counter `name`; resolves with the value after adding. */
  async counter(name, add = 0) {
    return (await this.#call('counter', { name, add })).content.value;
  }

  /** Publishes a JSON value on `topic`; resolves with its seq (1, 2, 3... per topic). */
  async publish(topic, payload) {
    if (payload === undefined) throw new TypeError('publish(topic, payload) needs a JSON payload; null is one, undefined is not');
    return (await this.#call('publish', { topic, payload })).content.seq;
  }

  /**
   * Subscribes to `topic` from `fromSeq` (default 1: every message so far, then live ones).
   * Iterate the result with for-await, or pass `onMessage`. `ready` settles with the server's reply.
   */
  subscribe(topic, { fromSeq, onMessage, onError } = {}) {
    const subscription = new Subscription(topic, { onMessage, onError }, () => this.unsubscribe(topic));
    const content = fromSeq === undefined ? { topic } : { topic, from_seq: fromSeq };
    const stream = {
      message: (c) => subscription._deliver(c),
      end: (error) => this.#ended(topic, subscription, error),
    };
    // registered at once, so that unsubscribe(topic) before the reply still ends it; a refused
    // duplicate never replaces the subscription it duplicates
    if (!this.#subscriptions.has(topic)) this.#subscriptions.set(topic, { subscription, stream });
    const request = this.#call('subscribe', content, stream).then(({ content: reply }) => reply, (error) => {
      this.#ended(topic, subscription, error);
      throw error;
    });
    subscription._begin(request);
    return subscription;
  }

  /** Stops this connection's subscription to `topic`; no message of it follows. */
  async unsubscribe(topic) {
    const connection = this.#connection;
    const reply = (await this.#call('unsubscribe', { topic })).content;
    const entry = this.#subscriptions.get(topic);
    if (entry) {
      connection.stopStream(entry.stream.id);
      this.#ended(topic, entry.subscription, null, true);
    }
    return reply;
  }

  /**
   * Waits for lock `name` (at most `timeoutMs`; 0 waits forever) and resolves with the held Lock.
   * A wait that times out rejects with TestSyncError code `lock_timeout`.
   */
  async lock(name, { timeoutMs } = {}) {
    const connection = this.#connection;
    const content = timeoutMs === undefined ? { name } : { name, timeout_ms: timeoutMs };
    const reply = (await this.#call('lock', content)).content;
    if (!reply.acquired) {
      throw new TestSyncError(CLIENT_CODES.LOCK_TIMEOUT, `lock "${name}" was not granted within ${timeoutMs ?? 'the server default'} ms (${reply.reason})`,
        { command: 'lock', reply });
    }
    return new Lock(name, reply, connection);
  }

  /** Closes the connection (code 1000). Calls still waiting fail with code `closed`. */
  async close() {
    await this.#connection.close();
  }

  /**
   * Opens a new connection with the same options, after a loss or a close() (an open one is
   * closed first). Locks and subscriptions ended with the old connection; take them again.
   */
  async reconnect() {
    await this.#connection.close();
    this.#connection = await Connection.open(this.#url, this.#options);
    this.#subscriptions.clear();
    return this;
  }

  #call(command, content, stream) {
    return this.#connection.request(command, content, stream);
  }

  #ended(topic, subscription, error, discard = false) {
    if (this.#subscriptions.get(topic)?.subscription === subscription) this.#subscriptions.delete(topic);
    subscription._end(error, discard);
  }
}

function fromBase64(text) {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
