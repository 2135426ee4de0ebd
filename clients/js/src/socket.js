// Opening the WebSocket: one code path for browsers and Node. Where the platform has a global
// WebSocket (browsers, Node 22+) it is used, and credentials travel in the query string because
// that API cannot set headers; elsewhere (Node 18/20) the `ws` package carries them as an
// Authorization: Basic header, and a refused handshake's status and JSON body are reported.

import { CLIENT_CODES, TestSyncError } from './errors.js';

/** The subprotocol this client speaks (SPEC §9.2). */
export const SUBPROTOCOL = 'testsync.v1';

let wsPackage;

async function implementation() {
  if (typeof globalThis.WebSocket === 'function') return { Impl: globalThis.WebSocket, headers: false };
  // Loaded only where there is no native WebSocket, so a browser never resolves this specifier.
  wsPackage ??= (await import('ws')).default;
  return { Impl: wsPackage, headers: true };
}

/**
 * The /register URL for a run: `base` is the server's WebSocket address (ws:, wss:, or http:/https:,
 * which mean the same host), optionally with a path prefix when a proxy serves it below one.
 */
export function registerUrl(base, { runId, agent, username, password }, credentialsInQuery) {
  let url;
  try {
    url = new URL(base);
  } catch {
    throw new TypeError(`url must be an absolute WebSocket address such as ws://localhost:9105, got ${JSON.stringify(base)}`);
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  else if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new TypeError(`url must start with ws://, wss://, http:// or https://, got ${url.protocol}//`);
  }
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/register/${encodeURIComponent(runId)}`;
  url.search = '';
  url.hash = '';
  if (agent !== undefined) url.searchParams.set('agent', agent);
  if (credentialsInQuery && username !== undefined) {
    url.searchParams.set('username', username);
    url.searchParams.set('password', password ?? '');
  }
  return url;
}

/** The URL for messages: never print a password. */
export function redact(url) {
  const copy = new URL(url);
  if (copy.searchParams.has('password')) copy.searchParams.set('password', '***');
  return copy.toString();
}

function basicHeader(username, password) {
  const bytes = new TextEncoder().encode(`${username}:${password ?? ''}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

/**
 * Creates the socket and resolves with it once it is open and has selected testsync.v1.
 * `listen(socket)` runs before the handshake starts, so the caller's frame listener is in place
 * before the server's first frame (the welcome) can arrive.
 */
export async function openSocket(base, options, listen) {
  const { Impl, headers } = await implementation();
  const url = registerUrl(base, options, !headers);
  const where = redact(url);
  const socket = headers
    ? new Impl(url, [SUBPROTOCOL], options.username === undefined ? {} : { headers: { Authorization: basicHeader(options.username, options.password) } })
    : new Impl(url, [SUBPROTOCOL]);
  socket.binaryType = 'arraybuffer';
  listen(socket);

  return new Promise((resolve, reject) => {
    let refusal;
    let settled = false;
    const settle = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeEventListener('open', onOpen);
      socket.removeEventListener('error', onError);
      socket.removeEventListener('close', onClose);
      outcome();
    };
    const fail = (detail, event) => settle(() => {
      if (!refusal && detail === 'Server sent no subprotocol') refusal = notV1(where, '');
      reject(refusal ?? new TestSyncError(CLIENT_CODES.CONNECT_FAILED, headers
        ? `could not connect to ${where}: ${detail || `closed with code ${event?.code}`}`
        : `could not connect to ${where}${detail ? `: ${detail}` : ''} (this WebSocket does not say why: check the credentials, the run id and agent name, and that the server is up)`,
      { closeCode: event?.code, closeReason: event?.reason }));
    });
    const timer = setTimeout(() => {
      refusal ??= new TestSyncError(CLIENT_CODES.CONNECT_FAILED, `no answer from ${where} within ${options.connectTimeoutMs} ms`);
      fail('');
      abort(socket);
    }, options.connectTimeoutMs);

    if (headers) {
      // ws hands us the refusing response when we listen for it: read its JSON body for the message.
      socket.on('unexpected-response', (req, res) => {
        readBody(res).then((body) => {
          refusal = refused(where, res.statusCode, body);
          socket.terminate();
        });
      });
    }
    // A failed handshake is settled by whichever comes first: some WebSockets (Node 20's
    // built-in one) fire 'error' and never 'close' for it.
    const onError = (event) => fail(event?.message || event?.error?.message || '');
    const onClose = (event) => fail('', event);
    const onOpen = () => settle(() => {
      if (socket.protocol !== SUBPROTOCOL) {
        socket.close(1000);
        reject(notV1(where, socket.protocol));
        return;
      }
      resolve({ socket, where });
    });
    socket.addEventListener('open', onOpen);
    socket.addEventListener('error', onError);
    socket.addEventListener('close', onClose);
  });
}

function notV1(where, selected) {
  return new TestSyncError(CLIENT_CODES.PROTOCOL_ERROR, `${where} did not select the ${SUBPROTOCOL} subprotocol`
    + `${selected ? ` (it selected ${JSON.stringify(selected)})` : ''}: the server predates protocol v1; upgrade it`);
}

function abort(socket) {
  if (typeof socket.terminate === 'function') socket.terminate();
  else socket.close();
}

function readBody(res) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    res.on('data', (chunk) => {
      size += chunk.length;
      if (size <= 65536) chunks.push(chunk);
    });
    res.on('end', () => resolve(new TextDecoder().decode(concat(chunks))));
    res.on('error', () => resolve(''));
  });
}

function concat(chunks) {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function refused(where, status, body) {
  let reason = body.trim();
  try {
    const parsed = JSON.parse(body);
    if (parsed && typeof parsed.error === 'string') reason = parsed.error;
  } catch {
    // not the server's JSON error (a proxy's page, say): show the text as it came
  }
  return new TestSyncError(CLIENT_CODES.CONNECT_FAILED,
    `${where} refused the connection: HTTP ${status}${reason ? ` ${reason}` : ''}`, { status });
}
