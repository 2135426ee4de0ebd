// A subscription to one topic (SPEC §9.3): an async iterator of messages, or a callback.

/**
 * @typedef {object} Message
 * @property {string} topic
 * @property {number} seq            1, 2, 3... per topic, without gaps
 * @property {unknown} payload       the published JSON value
 * @property {number} publishedAtMs  server unix ms
 * @property {object} raw            the frame's content as the server sent it
 */

/** Messages of one topic, in seq order: `for await (const m of sub)` or `onMessage`. */
export class Subscription {
  #queue = [];
  #waiters = [];
  #finished = false;
  #error = null;
  #onMessage;
  #onError;
  #unsubscribe;
  #resolveEnded;

  /**
   * @param {string} topic
   * @param {{onMessage?: (m: Message) => void, onError?: (e: Error) => void}} handlers
   * @param {() => Promise<unknown>} unsubscribe asks the server to stop this subscription
   */
  constructor(topic, { onMessage, onError } = {}, unsubscribe) {
    if (onMessage !== undefined && typeof onMessage !== 'function') throw new TypeError('onMessage must be a function');
    if (onError !== undefined && typeof onError !== 'function') throw new TypeError('onError must be a function');
    this.topic = topic;
    this.#onMessage = onMessage;
    this.#onError = onError;
    this.#unsubscribe = unsubscribe;
    /** Settles when no more messages will come: with null (unsubscribed, closed) or the error that ended it. Never rejects. */
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
    /** Resolves with the server's reply once subscribed; rejects when the server refused. */
    this.ready = undefined;
  }

  /** Called by the client with the subscribe request. */
  _begin(request) {
    this.ready = request;
    request.catch((error) => this._end(error)); // the caller sees it through ready, next() or onError
  }

  /** Called by the client for every `message` frame of this subscription. */
  _deliver(content) {
    if (this.#finished) return;
    const message = Object.freeze({
      topic: content.topic,
      seq: content.seq,
      payload: content.payload,
      publishedAtMs: content.published_at_ms,
      raw: content,
    });
    if (this.#onMessage) {
      try {
        this.#onMessage(message);
      } catch (error) {
        this.#report(error);
      }
    } else if (this.#waiters.length > 0) {
      this.#waiters.shift().resolve({ value: message, done: false });
    } else {
      this.#queue.push(message);
    }
  }

  /**
   * Called by the client when the subscription ends: normally (null) or by an error. After an
   * unsubscribe (`discard`), messages not read yet are dropped: the caller asked to stop.
   */
  _end(error, discard = false) {
    if (discard) this.#queue.length = 0;
    if (this.#finished) return;
    this.#finished = true;
    this.#error = error;
    this.#resolveEnded(error);
    if (this.#onMessage && error && this.#onError) this.#onError(error); // else: ready or ended tells
    for (const waiter of this.#waiters.splice(0)) {
      if (this.#error) {
        waiter.reject(this.#error);
        this.#error = null;
      } else {
        waiter.resolve({ value: undefined, done: true });
      }
    }
  }

  /** True while messages may still come. */
  get active() {
    return !this.#finished;
  }

  /** Stops the subscription; resolves once the server confirmed (no message follows). */
  async unsubscribe() {
    if (this.#finished) return;
    await this.#unsubscribe();
  }

  next() {
    if (this.#onMessage) {
      return Promise.reject(new TypeError(`the subscription to "${this.topic}" delivers to onMessage; subscribe without onMessage to iterate it`));
    }
    if (this.#queue.length > 0) return Promise.resolve({ value: this.#queue.shift(), done: false });
    if (this.#finished) {
      const error = this.#error;
      this.#error = null; // thrown once, then the iterator is done
      return error ? Promise.reject(error) : Promise.resolve({ value: undefined, done: true });
    }
    return new Promise((resolve, reject) => this.#waiters.push({ resolve, reject }));
  }

  /** Leaving a for-await loop (break, return, throw) unsubscribes. */
  async return() {
    this.#queue.length = 0;
    if (!this.#finished) {
      try {
        await this.unsubscribe();
      } catch {
        // the connection is gone: so is the subscription
      }
      this._end(null);
    }
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  #report(error) {
    if (this.#onError) {
      this.#onError(error);
      return;
    }
    // Nobody listens for errors: rethrow outside our stack so it is seen rather than swallowed.
    queueMicrotask(() => {
      throw error;
    });
  }
}
