// Awaiting a condition instead of sleeping: polls `probe` until `accept` takes its value.

/** Resolves with the first value of `probe()` that `accept` takes; fails after `timeoutMs` naming `what`. */
export async function eventually(what, probe, accept, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
