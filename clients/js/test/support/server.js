// The real server jar, started on free loopback ports for a test file, and stopped by it.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The jar to test: $TESTSYNC_JAR, else the one the server module builds. */
export const JAR = process.env.TESTSYNC_JAR
  ? resolve(process.env.TESTSYNC_JAR)
  : resolve(packageDir, '..', '..', 'server', 'target', 'testsync.jar');

export const USERNAME = 'js-agent';
export const PASSWORD = 'p@ss wörd';

/** A port nothing listens on right now (the kernel's pick for port 0). */
export function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

/**
 * Starts `java -jar` on two free ports with credentials, in an empty directory (so no
 * ./config is picked up), and resolves once /health answers. `env` adds TESTSYNC_* settings.
 */
export async function startServer({ env = {} } = {}) {
  if (!existsSync(JAR)) {
    throw new Error(`no server jar at ${JAR}: build it with "mvn -q -o -DskipTests package -pl server -am" at the repository root, or set TESTSYNC_JAR`);
  }
  let lastLog = '';
  // A port free a moment ago can be taken by then, or refused while in TIME_WAIT: try others.
  for (let attempt = 1; attempt <= 5; attempt++) {
    const httpPort = await freePort();
    let wsPort = await freePort();
    while (wsPort === httpPort) wsPort = await freePort();
    const server = await launch(httpPort, wsPort, env);
    if (server) return server;
    lastLog = launch.lastLog;
  }
  throw new Error(`the server found no bindable ports in 5 attempts; its last log:\n${lastLog}`);
}

async function launch(httpPort, wsPort, env) {
  const dir = mkdtempSync(join(tmpdir(), 'testsync-js-'));
  const child = spawn('java', ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-jar', JAR], {
    cwd: dir,
    env: {
      ...process.env,
      TESTSYNC_HTTP_PORT: String(httpPort),
      TESTSYNC_WS_PORT: String(wsPort),
      TESTSYNC_BIND_ADDRESS: '127.0.0.1',
      TESTSYNC_SYNC_CLIENT_USERNAME: USERNAME,
      TESTSYNC_SYNC_CLIENT_PASSWORD: PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk) => { log += chunk; });
  child.stderr.on('data', (chunk) => { log += chunk; });
  const exited = new Promise((ok) => child.once('exit', (code, signal) => ok({ code, signal })));
  let done = false;
  exited.then(() => { done = true; });

  const deadline = Date.now() + 60000;
  while (!done) {
    if (await healthy(httpPort)) {
      return serverHandle({ child, exited, dir, httpPort, wsPort, log: () => log });
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      await exited;
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`the server did not answer /health within 60 s; its log:\n${log}`);
    }
    await new Promise((ok) => setTimeout(ok, 50));
  }
  rmSync(dir, { recursive: true, force: true });
  if (!/address already in use/i.test(log)) throw new Error(`the server exited before answering /health; its log:\n${log}`);
  launch.lastLog = log;
  return null;
}

async function healthy(port) {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.status === 200;
  } catch {
    return false;
  }
}

function serverHandle({ child, exited, dir, httpPort, wsPort, log }) {
  let stopped;
  const finish = async (signal) => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), 15000);
      const result = await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
      return result;
    })();
    return stopped;
  };
  return {
    httpPort,
    wsPort,
    wsUrl: `ws://127.0.0.1:${wsPort}`,
    httpUrl: `http://127.0.0.1:${httpPort}`,
    /** The options every agent of these tests connects with, for `runId`. */
    agentOptions: (runId, more = {}) => ({ runId, username: USERNAME, password: PASSWORD, ...more }),
    /** Basic auth for HTTP calls made by the tests themselves. */
    authorization: `Basic ${Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')}`,
    log,
    /** SIGTERM, the way an operator stops it; resolves with its exit. */
    stop: () => finish('SIGTERM'),
    /** SIGKILL: the server vanishes without closing its sockets itself. */
    kill: () => finish('SIGKILL'),
  };
}

let counter = 0;
/** A run id of its own for each test, so tests never see each other's runs. */
export function runId(label = 'run') {
  counter += 1;
  return `${label}-${process.pid}-${counter}-${Date.now().toString(36)}`;
}
