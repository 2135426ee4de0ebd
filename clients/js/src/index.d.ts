// Types of testsync-client (hand-written; the sources are plain ES modules).

/** A JSON value as the server stores and relays it. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** The subprotocol this client speaks: "testsync.v1". */
export declare const SUBPROTOCOL: 'testsync.v1';

/** Codes the client itself produces, next to the server's codes. */
export declare const CLIENT_CODES: Readonly<{
  CONNECT_FAILED: 'connect_failed';
  PROTOCOL_ERROR: 'protocol_error';
  CONNECTION_LOST: 'connection_lost';
  CLOSED: 'closed';
  LOCK_TIMEOUT: 'lock_timeout';
  CHECKPOINT_FAILED: 'checkpoint_failed';
}>;

/** The server's error codes (SPEC §3) and the client's own. */
export type ErrorCode =
  | 'invalid_message'
  | 'unknown_command'
  | 'invalid_argument'
  | 'payload_too_large'
  | 'limit_reached'
  | 'internal_error'
  | 'connect_failed'
  | 'protocol_error'
  | 'connection_lost'
  | 'closed'
  | 'lock_timeout'
  | 'checkpoint_failed'
  | (string & {});

/** A failed TestSync call; `code` is stable and safe to branch on. */
export declare class TestSyncError extends Error {
  constructor(code: string, message: string, details?: {
    command?: string; status?: number; closeCode?: number; closeReason?: string; reply?: object; cause?: unknown;
  });
  readonly name: 'TestSyncError' | 'CheckpointFailedError';
  readonly code: ErrorCode;
  /** The command that failed, when the error is about one. */
  readonly command?: string;
  /** The HTTP status of a refused handshake, where the platform reports it (Node). */
  readonly status?: number;
  /** The WebSocket close code of a lost connection. */
  readonly closeCode?: number;
  readonly closeReason?: string;
  /** The server's error (or reply) content, as sent. */
  readonly reply?: Record<string, unknown>;
}

/** A checkpoint released with finished:false: a failed synchronization. */
export declare class CheckpointFailedError extends TestSyncError {
  constructor(release: Release);
  readonly code: 'checkpoint_failed';
  readonly identifier: string;
  /** timeout | participant_lost | operator_released */
  readonly reason: string;
  readonly joinedAgents: readonly string[];
  readonly absentAgents: readonly string[];
  /** The agents whose connection closed (reason participant_lost). */
  readonly lost: readonly string[];
  readonly release: Release;
}

/** The server's first frame on a testsync.v1 connection. */
export interface Welcome {
  protocol: 'testsync.v1';
  run: string;
  agent: string;
  connection: string;
  server_time_ms: number;
  limits: Record<string, number>;
  [field: string]: unknown;
}

/** A checkpoint's release. */
export interface Release {
  readonly identifier: string;
  readonly finished: boolean;
  readonly reason: 'complete' | 'timeout' | 'participant_lost' | 'operator_released' | (string & {});
  readonly joined: number;
  readonly target: number;
  /** Server unix ms every member resumes at. */
  readonly startAt?: number;
  /** How long after receiving the release this agent was told to wait. */
  readonly startInMs?: number;
  /** The server's clock when it wrote this agent's release. */
  readonly serverTimeMs?: number;
  readonly joinedAgents: readonly string[];
  readonly absentAgents: readonly string[];
  readonly lost: readonly string[];
  /** The reply's content exactly as the server sent it (snake_case fields). */
  readonly raw: Record<string, unknown>;
}

export interface ConnectOptions {
  /** The run's test ID: 1-128 characters from A-Z a-z 0-9 . _ - */
  runId: string;
  /** Basic auth credentials; sent as a header from Node, in the query string from browsers. */
  username?: string;
  password?: string;
  /** This agent's name in logs and failed releases: 1-128 characters from A-Z a-z 0-9 . _ - : */
  agent?: string;
  /** Handshake plus welcome must finish within this (default 10000 ms). */
  connectTimeoutMs?: number;
}

export interface CheckpointOptions {
  /** How many agents meet at this checkpoint (fixed by the first join). */
  target: number;
  /** Wait bound counted from the first join; 0 waits forever; default: the server's. */
  timeoutMs?: number;
  /** Release everyone at once with participant_lost when a member disconnects. */
  failOnLeave?: boolean;
  /** Resolve at the common start instant (default true), or as soon as the release arrives. */
  waitForStart?: boolean;
}

/** One published message. */
export interface Message<T = Json> {
  readonly topic: string;
  readonly seq: number;
  readonly payload: T;
  readonly publishedAtMs: number;
  readonly raw: Record<string, unknown>;
}

export interface SubscribeOptions<T = Json> {
  /** The first seq to deliver (default 1: replay everything so far, then live messages). */
  fromSeq?: number;
  /** Deliver to this callback instead of the async iterator. */
  onMessage?: (message: Message<T>) => void;
  /** Told when the subscription ends by an error, or when onMessage throws. */
  onError?: (error: Error) => void;
}

/** Messages of one topic in seq order: iterate with for-await, or give onMessage. */
export declare class Subscription<T = Json> implements AsyncIterableIterator<Message<T>> {
  readonly topic: string;
  /** Settles with the server's reply once subscribed; rejects when it refused. */
  readonly ready: Promise<{ topic: string; subscribed: true }>;
  /** Settles when no more messages will come: null, or the error that ended it. Never rejects. */
  readonly ended: Promise<Error | null>;
  /** True while messages may still come. */
  readonly active: boolean;
  /** Stops the subscription; resolves once the server confirmed. */
  unsubscribe(): Promise<void>;
  next(): Promise<IteratorResult<Message<T>, undefined>>;
  return(): Promise<IteratorResult<Message<T>, undefined>>;
  [Symbol.asyncIterator](): Subscription<T>;
}

/** A held lock. */
export declare class Lock {
  readonly name: string;
  /** Fencing token: grows with every grant of this lock. */
  readonly fence: number;
  readonly raw: Record<string, unknown>;
  /** True until released or until the connection holding it ended. */
  readonly held: boolean;
  /** Releases it; the next waiter is granted. Idempotent. */
  release(): Promise<void>;
}

/** An agent of one TestSync run. */
export declare class TestSync {
  private constructor();
  /** Connects as an agent of options.runId; resolves after the server's welcome. */
  static connect(url: string | { readonly href: string }, options: ConnectOptions): Promise<TestSync>;
  readonly runId: string;
  readonly welcome: Welcome;
  /** The name the server knows this agent by. */
  readonly agent: string;
  readonly connectionId: string;
  readonly limits: Record<string, number>;
  /** True until the connection ends or close() is called. */
  readonly connected: boolean;
  /** Settles when the current connection ends. Never rejects. */
  readonly closed: Promise<{ code: number; reason: string; byClient: boolean }>;

  /** Stores value (JSON.stringify) as the run's data. */
  setData(value: unknown): Promise<{ stored: true; bytes: number }>;
  /** The stored JSON value, a Uint8Array when the bytes are not JSON, undefined when none. */
  data<T = Json>(): Promise<T | Uint8Array | undefined>;
  /** read_data's reply content as sent. */
  readData(): Promise<{ exists: boolean; content_type?: string; data?: Json; data_base64?: string }>;
  /** Live connections of this run, this one included. */
  connectionCount(): Promise<number>;
  /** Meets the other agents at `identifier`; resolves at the common start instant. */
  checkpoint(identifier: string, options: CheckpointOptions): Promise<Release>;
  /** This agent's number in `state`: 1, 2, 3... */
  signalEntry(state: string): Promise<number>;
  /** Adds to a run-wide counter (default 0: read); resolves with the new value. */
  counter(name: string, add?: number): Promise<number>;
  /** Publishes on topic; resolves with the message's seq. */
  publish(topic: string, payload: unknown): Promise<number>;
  subscribe<T = Json>(topic: string, options?: SubscribeOptions<T>): Subscription<T>;
  unsubscribe(topic: string): Promise<{ topic: string; unsubscribed: true }>;
  /** Waits for the lock; rejects with code lock_timeout when not granted in time. */
  lock(name: string, options?: { timeoutMs?: number }): Promise<Lock>;
  /** Closes the connection; waiting calls fail with code closed. */
  close(): Promise<void>;
  /** Opens a fresh connection with the same options (locks and subscriptions are not carried over). */
  reconnect(): Promise<this>;
}
