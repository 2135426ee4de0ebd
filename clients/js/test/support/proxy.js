// A TCP relay between the client and the server, so a test can cut an agent's connection the way
// a network failure does (the client sees its TCP connection end, the server loses the agent).

import { connect, createServer } from 'node:net';

/** Relays 127.0.0.1:<port> to 127.0.0.1:<targetPort>; cut() ends every relayed connection. */
export async function startProxy(targetPort) {
  const pairs = new Set();
  const server = createServer((inbound) => {
    const outbound = connect(targetPort, '127.0.0.1');
    const pair = { inbound, outbound };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', drop).on('close', drop);
    outbound.on('error', drop).on('close', drop);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    port: server.address().port,
    url: `ws://127.0.0.1:${server.address().port}`,
    /** How many connections it relays now. */
    get open() {
      return pairs.size;
    },
    /** Ends every relayed connection at once (a reset on the client's side). */
    cut() {
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.inbound.resetAndDestroy();
        pair.outbound.resetAndDestroy();
      }
    },
    close: () => new Promise((ok) => {
      for (const { inbound, outbound } of [...pairs]) {
        inbound.destroy();
        outbound.destroy();
      }
      server.close(() => ok());
    }),
  };
}
