// A granted lock (SPEC §9.3). Locks are bound to the connection that took them: the server
// releases them when it ends, so releasing one whose connection is gone has nothing left to do.

import { CLIENT_CODES } from './errors.js';

/** A held lock: its fencing token, and release(). */
export class Lock {
  #connection;
  #releasing;

  /**
   * @param {string} name
   * @param {object} raw the lock reply's content ({ name, acquired: true, fence })
   * @param {import('./connection.js').Connection} connection
   */
  constructor(name, raw, connection) {
    this.name = name;
    /** Grows with every grant of this lock: pass it to what the lock protects to reject stale holders. */
    this.fence = raw.fence;
    this.raw = raw;
    this.#connection = connection;
  }

  /** True until release() was called or the connection that holds it ended. */
  get held() {
    return this.#releasing === undefined && this.#connection.isOpen;
  }

  /** Releases the lock (the next waiter is granted). Calling it again returns the same promise. */
  release() {
    this.#releasing ??= this.#connection.request('unlock', { name: this.name }).then(
      () => undefined,
      (error) => {
        // a connection that ended released the lock with it (session-bound)
        if (error.code === CLIENT_CODES.CONNECTION_LOST || error.code === CLIENT_CODES.CLOSED) return undefined;
        throw error;
      },
    );
    return this.#releasing;
  }
}
