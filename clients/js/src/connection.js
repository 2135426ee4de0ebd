// One WebSocket to the server: commands go out with ids, each reply (and each message of a
// subscription) is routed back to its caller, and when the socket ends every waiting call fails
// at once with the same error. Nothing here reconnects.

import { CLIENT_CODES, TestSyncError } from './errors.js';
import { openSocket } from './socket.js';

// How long close() waits for the server's close frame before closing from this side.
const CLOSE_GRACE_MS = 2000;
const OPEN = 1;
// How long an 'error' may go without its 'close' before the connection counts as lost.
const ERROR_CLOSE_GRACE_MS = 1000;

/** A live connection; TestSync replaces it on reconnect(). */
export class Connection {
  #socket;
  #where = '';
  #opened = false;
  #welcome;
  #welcomeWaiter;
  #nextId = 1;
  #pending = new Map(); // id -> { command, resolve, reject }
  #streams = new Map(); // subscribe id -> { message(content), end(error | null) }
  #ended = null; // the error every later call fails with
  #closeRequested = false;
  #graceTimer;
  #lastError = '';
  #resolveClosed;

  /** Settles when the socket has ended: `{ code, reason, byClient }`. Never rejects. */
  closed = new Promise((resolve) => {
    this.#resolveClosed = resolve;
  });

  /** Opens a connection and resolves once the server's welcome frame has arrived. */
  static async open(base, options) {
    const conn = new Connection();
    const welcome = new Promise((resolve, reject) => {
      conn.#welcomeWaiter = { resolve, reject };
    });
    welcome.catch(() => {}); // observed below; a failure before open is reported by openSocket
    const { socket, where } = await openSocket(base, options, (s) => conn.#attach(s));
    conn.#where = where;
    conn.#opened = true;
    if (socket.readyState !== OPEN) conn.#onClose({ code: 1006, reason: '' });
    const timer = setTimeout(() => conn.#fail(new TestSyncError(CLIENT_CODES.PROTOCOL_ERROR,
      `${where} sent no welcome frame within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
    try {
      await welcome;
    } catch (error) {
      if (error.code !== CLIENT_CODES.CONNECTION_LOST) throw error;
      throw new TestSyncError(CLIENT_CODES.CONNECT_FAILED, `${where} closed the connection before its welcome frame (close code ${error.closeCode})`,
        { closeCode: error.closeCode, closeReason: error.closeReason });
    } finally {
      clearTimeout(timer);
    }
    return conn;
  }

  /** The server's welcome content: protocol, run, agent, connection, server_time_ms, limits. */
  get welcome() {
    return this.#welcome;
  }

  /** True until the socket ends or close() is called. */
  get isOpen() {
    return this.#ended === null && !this.#closeRequested;
  }

  /**
   * Sends one command and resolves with `{ content, receivedAt }` (receivedAt: performance.now()
   * when its reply arrived). `stream`, for subscribe, receives the `message` frames that echo
   * this command's id until it is stopped or the connection ends.
   */
  request(command, content, stream) {
    if (this.#ended) return Promise.reject(this.#ended);
    if (this.#closeRequested) return Promise.reject(closedError(command));
    const id = this.#nextId++;
    const frame = JSON.stringify(content === undefined ? { command, id } : { command, id, content });
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { command, resolve, reject });
      if (stream) {
        stream.id = id;
        this.#streams.set(id, stream);
      }
      try {
        this.#socket.send(frame);
      } catch (cause) {
        // the socket is going away: its close event fails the others, this one fails now
        this.#pending.delete(id);
        this.#streams.delete(id);
        reject(this.#ended ?? lostError(`could not send ${command}: ${cause.message}`, {}));
      }
    });
  }

  /** Stops routing a subscription's messages (after its unsubscribe reply). */
  stopStream(id) {
    this.#streams.delete(id);
  }

  /**
   * Asks the server to close (its close frame is the reply, SPEC §9.2) and resolves once the
   * socket has ended. Calls still waiting fail with code `closed`.
   */
  async close() {
    if (this.#ended === null && !this.#closeRequested) {
      this.#closeRequested = true;
      try {
        this.#socket.send(JSON.stringify({ command: 'close', id: this.#nextId++ }));
      } catch {
        // already closing: the close event settles it
      }
      this.#graceTimer = setTimeout(() => abort(this.#socket), CLOSE_GRACE_MS);
    }
    await this.closed;
  }

  #attach(socket) {
    this.#socket = socket;
    socket.addEventListener('message', (event) => this.#onFrame(event.data, performance.now()));
    socket.addEventListener('close', (event) => this.#onClose(event));
    // ws emits 'error' (a frame it cannot read, say) before 'close': keep its text for the
    // close's message, and have a listener so that it never becomes an uncaught exception.
    // Some WebSockets (Node 20's built-in one) may fire 'error' without a 'close' after it:
    // then the connection counts as lost a moment later, so that no call waits forever.
    socket.addEventListener('error', (event) => {
      this.#lastError = event?.message || event?.error?.message || '';
      setTimeout(() => this.#onClose({ code: 1006, reason: '' }), ERROR_CLOSE_GRACE_MS);
    });
  }

  #onFrame(data, receivedAt) {
    if (typeof data !== 'string') return; // v1 replies are text; a binary frame is not ours to read
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      this.#fail(new TestSyncError(CLIENT_CODES.PROTOCOL_ERROR, `${this.#where} sent a frame that is not JSON: ${data.slice(0, 200)}`));
      return;
    }
    if (this.#welcome === undefined) {
      if (frame?.command !== 'welcome') {
        this.#fail(new TestSyncError(CLIENT_CODES.PROTOCOL_ERROR,
          `${this.#where} sent ${data.slice(0, 200)} before its welcome frame`));
        return;
      }
      this.#welcome = frame.content;
      this.#welcomeWaiter.resolve();
      return;
    }
    const { command, id, content } = frame ?? {};
    if (command === 'message') {
      this.#streams.get(id)?.message(content);
      return;
    }
    const call = this.#pending.get(id);
    if (!call) return; // a reply nobody waits for: nothing to do with it
    this.#pending.delete(id);
    if (command === 'error') {
      this.#streams.delete(id);
      call.reject(new TestSyncError(content?.code ?? CLIENT_CODES.PROTOCOL_ERROR,
        `${content?.command || call.command} failed (${content?.code}): ${content?.error}`,
        { command: content?.command || call.command, reply: content }));
    } else {
      call.resolve({ content, receivedAt });
    }
  }

  #fail(error) {
    this.#ended ??= error;
    abort(this.#socket);
  }

  #onClose(event) {
    if (!this.#opened || this.#resolveClosed === null) return; // openSocket reports a failed handshake
    clearTimeout(this.#graceTimer);
    const byClient = this.#closeRequested && this.#ended === null;
    const error = this.#ended ?? (byClient
      ? closedError()
      : lostError(`the connection to ${this.#where} was lost (close code ${event.code}${event.reason ? `: ${event.reason}` : ''}`
        + `${this.#lastError ? `; ${this.#lastError}` : ''})`, event));
    this.#ended = error;
    if (this.#welcome === undefined) this.#welcomeWaiter.reject(error);
    const pending = [...this.#pending.values()];
    const streams = [...this.#streams.values()];
    this.#pending.clear();
    this.#streams.clear();
    for (const call of pending) call.reject(error);
    for (const stream of streams) stream.end(byClient ? null : error);
    const resolve = this.#resolveClosed;
    this.#resolveClosed = null;
    resolve({ code: event.code, reason: event.reason, byClient });
  }
}

function closedError(command) {
  return new TestSyncError(CLIENT_CODES.CLOSED,
    `${command ? `${command} after close()` : 'the connection was closed by close()'}: call reconnect() to open a new connection`);
}

function lostError(message, event) {
  return new TestSyncError(CLIENT_CODES.CONNECTION_LOST, `${message}; nothing is retried: call reconnect() to open a new connection`,
    { closeCode: event.code, closeReason: event.reason });
}

function abort(socket) {
  if (!socket) return;
  if (typeof socket.terminate === 'function') socket.terminate();
  else socket.close(1000);
}
