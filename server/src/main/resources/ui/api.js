// The management API as the page uses it. Same origin: the browser sends the credentials it was
// asked for once (HTTP Basic), so nothing secret lives in this page.

async function call(method, path) {
  const res = await fetch(path, { method, headers: { Accept: 'application/json' }, cache: 'no-store' });
  if (res.status === 204) return null;
  const body = await res.json().catch(() => ({ error: `HTTP ${res.status}` }));
  if (!res.ok) throw new Error(body.error || `HTTP ${res.status}`);
  return body;
}

const enc = encodeURIComponent;

export const api = {
  runs: () => call('GET', '/api/v1/runs'),
  // null when the run is gone (404), so the page can say so instead of failing
  run: (id) => call('GET', `/api/v1/runs/${enc(id)}`).catch((e) => (e.message.startsWith('no run') ? null : Promise.reject(e))),
  release: (id, checkpoint) => call('POST', `/api/v1/runs/${enc(id)}/checkpoints/${enc(checkpoint)}/release`),
  kick: (id, connection) => call('DELETE', `/api/v1/runs/${enc(id)}/agents/${enc(connection)}`),
  remove: (id) => call('DELETE', `/api/v1/runs/${enc(id)}`),
};
