// Builds the page's DOM from API answers. Only textContent is ever set from data: a run or agent
// name is shown, never interpreted.

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k === 'style') node.style.cssText = v; // CSSOM: allowed by the page's CSP, unlike a style attribute
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c != null) node.append(c instanceof Node ? c : String(c));
  return node;
}

export function ago(ms, now = Date.now()) {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 1) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

function when(ms) {
  return el('span', { class: 'ago', 'data-ms': ms, title: new Date(ms).toLocaleString() }, ago(ms));
}

/** Agents connected but not among those who joined: names counted as a multiset (names may repeat). */
export function absent(agents, joinedNames) {
  const left = new Map();
  for (const n of joinedNames) left.set(n, (left.get(n) || 0) + 1);
  const out = [];
  for (const a of agents) {
    const k = left.get(a.agent) || 0;
    if (k > 0) left.set(a.agent, k - 1);
    else out.push(a.agent);
  }
  return out.sort();
}

export function runRow(r, selected, onPick) {
  return el('tr', { class: selected ? 'selected' : '', 'data-run': r.id, onclick: () => onPick(r.id) },
    el('td', { class: 'mono' }, r.id),
    el('td', { class: 'num' }, r.agents),
    el('td', { class: 'num' }, r.checkpoints_waiting),
    el('td', { class: 'num' }, when(r.last_activity_ms)));
}

function table(head, rows) {
  return el('table', {}, el('thead', {}, el('tr', {}, head.map((h) => el('th', { class: h.num ? 'num' : '' }, h.label ?? h)))),
    el('tbody', {}, rows));
}

function plural(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function names(list) {
  return list.length ? list.join(', ') : '—';
}

function checkpoint(cp, agents, act) {
  const waiting = cp.state === 'waiting';
  const missing = waiting ? absent(agents, cp.joined_agents) : [];
  const pct = Math.min(100, Math.round((100 * cp.joined) / cp.target));
  return el('div', { class: `cp ${cp.state}`, 'data-checkpoint': cp.identifier },
    el('div', { class: 'cp-head' },
      el('span', { class: 'cp-name mono' }, cp.identifier),
      el('span', { class: `badge ${cp.state}` }, cp.state),
      el('span', { class: 'ratio' }, `${cp.joined} of ${cp.target} joined`),
      el('span', { class: 'bar' }, el('span', { style: `width:${pct}%` })),
      waiting ? el('button', { class: 'danger', 'data-action': 'release',
        onclick: () => act.release(cp.identifier, cp.joined) }, 'Release') : null),
    waiting ? el('dl', { class: 'who' },
      el('dt', {}, 'joined'), el('dd', { class: 'joined' }, names(cp.joined_agents)),
      el('dt', {}, 'not joined'), el('dd', { class: 'missing' }, names(missing)),
      el('dt', {}, 'times out'), el('dd', {}, cp.deadline_ms == null ? 'never' : new Date(cp.deadline_ms).toLocaleTimeString()))
      : el('dl', { class: 'who' }, el('dt', {}, 'started at'), el('dd', {}, new Date(cp.start_at).toLocaleTimeString())));
}

function keyValues(title, map) {
  const entries = Object.entries(map);
  return el('div', {}, el('h3', {}, title),
    entries.length ? table(['name', { label: 'value', num: true }],
      entries.map(([k, v]) => el('tr', {}, el('td', { class: 'mono' }, k), el('td', { class: 'num' }, v))))
      : el('p', { class: 'note' }, 'none'));
}

function holder(h) {
  return h ? `${h.agent} (${h.connection})` : 'free';
}

export function detail(run, act) {
  const agents = run.agents;
  const data = run.data ? `${run.data.bytes} bytes, ${run.data.content_type}` : 'none';
  return el('div', { 'data-run': run.id },
    el('div', { class: 'detail-head' },
      el('h2', { class: 'mono' }, run.id),
      el('button', { class: 'danger', 'data-action': 'delete', onclick: () => act.remove() }, 'Delete run')),
    el('p', { class: 'facts' }, `${plural(agents.length, 'agent')} · ${plural(run.checkpoints.filter((c) => c.state === 'waiting').length, 'checkpoint')} waiting · data: ${data}`),
    el('h3', {}, 'Checkpoints'),
    run.checkpoints.length ? run.checkpoints.map((cp) => checkpoint(cp, agents, act)) : el('p', { class: 'note' }, 'none'),
    el('h3', {}, `Agents (${agents.length})`),
    agents.length ? table(['name', 'connection', 'node', 'remote', 'protocol', 'connected', ''],
      agents.map((a) => el('tr', { 'data-connection': a.connection },
        el('td', {}, a.agent), el('td', { class: 'mono' }, a.connection), el('td', { class: 'mono' }, a.node ?? ''),
        el('td', { class: 'mono' }, a.remote),
        el('td', {}, a.protocol), el('td', {}, when(a.connected_at_ms)),
        el('td', {}, el('button', { class: 'danger', 'data-action': 'kick', onclick: () => act.kick(a) }, 'Remove')))))
      : el('p', { class: 'note' }, 'none connected'),
    el('div', { class: 'grid2' }, keyValues('Counters', run.counters), keyValues('States (last seq)', run.states)),
    el('h3', {}, 'Topics'),
    run.topics.length ? table(['topic', { label: 'messages', num: true }, { label: 'subscribers', num: true }],
      run.topics.map((t) => el('tr', {}, el('td', { class: 'mono' }, t.topic), el('td', { class: 'num' }, t.messages),
        el('td', { class: 'num' }, t.subscribers)))) : el('p', { class: 'note' }, 'none'),
    el('h3', {}, 'Locks'),
    run.locks.length ? table(['lock', 'holder', 'waiting', { label: 'fence', num: true }],
      run.locks.map((l) => el('tr', {}, el('td', { class: 'mono' }, l.name), el('td', {}, holder(l.holder)),
        el('td', {}, names(l.waiting.map(holder))), el('td', { class: 'num' }, l.fence)))) : el('p', { class: 'note' }, 'none'));
}

/** Refreshes every "… ago" label in place, without refetching anything. */
export function tickAgo(root) {
  const now = Date.now();
  for (const n of root.querySelectorAll('.ago')) n.textContent = ago(Number(n.dataset.ms), now);
}
