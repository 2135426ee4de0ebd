// The built jar as a user runs it: on a free loopback port, configured through TESTSYNC_* variables.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
export const JAR = process.env.TESTSYNC_JAR || path.join(here, '..', 'server', 'target', 'testsync.jar');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function healthy(base) {
  try {
    return (await fetch(`${base}/health`)).status === 200;
  } catch {
    return false;
  }
}

/** Starts the jar with one listener for HTTP and WebSocket; resolves once /health answers. */
export async function startServer(env = {}) {
  if (!existsSync(JAR)) throw new Error(`${JAR} is missing: build it first (mvn -DskipTests package)`);
  for (let attempt = 1; attempt <= 5; attempt++) {
    const port = await freePort();
    const log = [];
    const child = spawn('java', ['-jar', JAR], {
      env: { ...process.env, TESTSYNC_HTTP_PORT: String(port), TESTSYNC_WS_PORT: String(port),
        TESTSYNC_BIND_ADDRESS: '127.0.0.1', TESTSYNC_LOGGING_LEVEL: 'INFO', TESTSYNC_STORAGE_TYPE: 'memory', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d) => log.push(String(d)));
    child.stderr.on('data', (d) => log.push(String(d)));
    const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; i < 300; i++) {
      if (await healthy(base)) {
        return {
          base, port, log,
          async stop() {
            child.kill('SIGTERM');
            const code = await exited;
            if (code !== 0) throw new Error(`server exited with ${code} after SIGTERM:\n${log.join('')}`);
          },
        };
      }
      if (child.exitCode !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill('SIGKILL');
    await exited;
    if (!log.join('').includes('address already in use')) throw new Error(`server did not start:\n${log.join('')}`);
  }
  throw new Error('no bindable port found in 5 attempts');
}
