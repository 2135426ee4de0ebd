// The live page: the runs on the left, one run on the right, kept current by the server's event
// stream. The server pushes small "changes" events (at most four a second); the page patches the
// list from them and refetches only the run it shows, at most one request in flight.
import { api } from './api.js';
import { detail, el, runRow, tickAgo } from './view.js';

const MAX_ROWS = 500; // a laptop screen shows far fewer; the filter finds the rest

const state = { runs: new Map(), shown: null, filter: '' };
const $ = (id) => document.getElementById(id);

function shownId() {
  const m = location.hash.match(/^#\/runs\/(.+)$/);
  return m ? decodeURIComponent(m[1]) : null;
}

// ---- runs list -------------------------------------------------------------------------------

function renderRuns() {
  const all = [...state.runs.values()].sort((a, b) => b.last_activity_ms - a.last_activity_ms || a.id.localeCompare(b.id));
  const matching = state.filter ? all.filter((r) => r.id.includes(state.filter)) : all;
  const rows = matching.slice(0, MAX_ROWS).map((r) => runRow(r, r.id === state.shown, pick));
  $('runs-body').replaceChildren(...rows);
  $('runs-count').textContent = `(${all.length})`;
  $('runs-note').textContent = all.length === 0 ? 'No runs held: agents that connect appear here.'
    : matching.length > MAX_ROWS ? `Showing the ${MAX_ROWS} most recently active of ${matching.length}; filter to find others.` : '';
}

let listPending = false;
let lastListFetch = 0;
async function loadRuns() {
  if (listPending) return;
  listPending = true;
  lastListFetch = Date.now();
  try {
    const { runs } = await api.runs();
    state.runs = new Map(runs.map((r) => [r.id, r]));
    renderRuns();
  } catch (e) {
    toast(`Could not load the runs: ${e.message}`);
  } finally {
    listPending = false;
  }
}

function pick(id) {
  location.hash = `#/runs/${encodeURIComponent(id)}`;
}

// ---- one run -----------------------------------------------------------------------------------

let detailBusy = false;
let detailAgain = false;
async function loadDetail() {
  const id = state.shown;
  if (id == null) {
    $('detail').replaceChildren(el('p', { class: 'empty' }, 'Pick a run on the left.'));
    return;
  }
  if (detailBusy) { detailAgain = true; return; } // coalesce: one more fetch after this one
  detailBusy = true;
  try {
    const run = await api.run(id);
    if (id !== state.shown) return;
    $('detail').replaceChildren(run ? detail(run, actions(id))
      : el('p', { class: 'empty' }, `Run ${id} is not held any more (no agents, checkpoints or data).`));
  } catch (e) {
    toast(`Could not load run ${id}: ${e.message}`);
  } finally {
    detailBusy = false;
    if (detailAgain) { detailAgain = false; loadDetail(); }
  }
}

function actions(id) {
  const act = async (question, doIt, done) => {
    if (!(await confirmed(question))) return;
    try {
      done(await doIt());
    } catch (e) {
      toast(e.message);
    }
  };
  return {
    release: (cp, joined) => act(`Release checkpoint “${cp}” of run ${id}? Its ${joined} waiting agents get finished:false, reason operator_released.`,
      () => api.release(id, cp), (r) => toast(`Released ${r.released} agents from “${cp}”.`)),
    kick: (a) => act(`Remove agent ${a.agent} (${a.connection}) from run ${id}? Its connection is closed with 4001.`,
      () => api.kick(id, a.connection), () => toast(`Removed ${a.agent}.`)),
    remove: () => act(`Delete run ${id}? Every agent is disconnected (4001) and its state and data are removed.`,
      () => api.remove(id), () => toast(`Deleted run ${id}.`)),
  };
}

function confirmed(question) {
  const dialog = $('confirm');
  $('confirm-text').textContent = question;
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'ok'), { once: true });
    dialog.returnValue = '';
    dialog.showModal();
  });
}

let toastTimer;
function toast(text) {
  document.querySelector('.toast')?.remove();
  const t = el('div', { class: 'toast', role: 'status' }, text);
  document.body.append(t);
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => t.remove(), 4000);
}

// ---- the event stream ---------------------------------------------------------------------------

function connect() {
  const link = $('link');
  const events = new EventSource('/api/v1/events');
  events.addEventListener('ready', () => {
    link.dataset.state = 'live';
    link.textContent = 'live';
    // (re)connected: what happened while away is only in a fresh fetch
    loadRuns();
    loadDetail();
  });
  events.addEventListener('changes', (e) => {
    const { runs, removed } = JSON.parse(e.data);
    for (const r of runs) state.runs.set(r.id, r);
    for (const id of removed) state.runs.delete(id);
    renderRuns();
    if (state.shown != null && (removed.includes(state.shown) || runs.some((r) => r.id === state.shown))) loadDetail();
  });
  events.addEventListener('resync', () => {
    // Too many runs changed for one event: refetch the list, at most every 2 s.
    const wait = Math.max(0, 2000 - (Date.now() - lastListFetch));
    setTimeout(loadRuns, wait);
    loadDetail();
  });
  events.onerror = () => {
    link.dataset.state = 'down';
    link.textContent = 'reconnecting…';
  };
}

function route() {
  state.shown = shownId();
  renderRuns();
  loadDetail();
}

$('filter').addEventListener('input', (e) => { state.filter = e.target.value.trim(); renderRuns(); });
window.addEventListener('hashchange', route);
setInterval(() => tickAgo(document), 1000);
state.shown = shownId();
connect();
