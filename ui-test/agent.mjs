// A test agent: a real WebSocket client that records every frame the server sends it.
import WebSocket from 'ws';

export class Agent {
  static async connect(base, run, name, { user, password, protocol } = {}) {
    const url = `${base.replace(/^http/, 'ws')}/register/${encodeURIComponent(run)}?agent=${encodeURIComponent(name)}`;
    const headers = user ? { Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } : {};
    const ws = new WebSocket(url, protocol ? [protocol] : [], { headers });
    const agent = new Agent(ws, name);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
      ws.once('unexpected-response', (req, res) => reject(new Error(`${name}: upgrade answered ${res.statusCode}`)));
    });
    return agent;
  }

  constructor(ws, name) {
    this.ws = ws;
    this.name = name;
    this.frames = [];
    this.waiters = [];
    this.closed = new Promise((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      const frame = JSON.parse(String(data));
      this.frames.push(frame);
      this.waiters = this.waiters.filter((w) => !(w.match(frame) && (w.resolve(frame), true)));
    });
  }

  send(command, content) {
    this.ws.send(JSON.stringify(content === undefined ? { command } : { command, content }));
  }

  /** The first frame (already received or still to come) that `match` accepts; fails after `ms`. */
  next(match, ms = 10000) {
    const seen = this.frames.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${this.name}: no matching frame within ${ms} ms; got ${JSON.stringify(this.frames)}`)), ms);
      this.waiters.push({ match, resolve: (f) => { clearTimeout(timer); resolve(f); } });
    });
  }

  close() {
    this.ws.close(1000);
  }
}
