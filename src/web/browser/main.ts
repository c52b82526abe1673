import { Charts } from './charts.js';
import { renderClients } from './clients.js';
import { byId, el } from './dom.js';
import { ServerClock, span } from './format.js';
import { KeysTable } from './keys.js';
import { renderConfiguration, renderRefresh, renderSummary } from './overview.js';
import { renderTraffic } from './traffic.js';
import type { HistorySeries, RangeName, StatusDocument } from './types.js';

/**
 * The live status page: fetches status.json and the history every few seconds and redraws.
 * URLs come from the body's data attributes (relative, so a path prefix in front works).
 */
const INTERVAL_STORE = 'droid2api.status.interval';
const RANGE_STORE = 'droid2api.status.range';
const ADMIN_STORE = 'droid2api.status.adminKey';

const body = document.body;
const admin = body.dataset.admin === '1';
const urls = { status: body.dataset.statusUrl ?? 'status.json', history: body.dataset.historyUrl ?? 'status/history.json', admin: body.dataset.adminUrl ?? 'admin/api/' };
const clock = new ServerClock();
const charts = new Charts();
const keys = new KeysTable(admin);
const view = { doc: undefined as StatusDocument | undefined, ok: false, timer: 0, loadError: false };

const intervalSelect = byId<HTMLSelectElement>('interval');
const rangeSelect = byId<HTMLSelectElement>('range');
const adminInput = byId<HTMLInputElement>('admin-key');

function message(text: string, kind: '' | 'ok' | 'bad' = ''): void {
  view.loadError = false;
  const m = byId('message');
  m.textContent = text;
  m.className = `message${kind ? ` ${kind}` : ''}`;
  m.hidden = !text;
}

/** Between fetches, "ago" and countdown cells follow the clock every second. */
function tick(): void {
  if (!view.doc) return;
  document.querySelectorAll<HTMLElement>('[data-ago]').forEach((td) => {
    td.textContent = clock.ago(Number(td.dataset.ago) || 0);
  });
  document.querySelectorAll<HTMLElement>('[data-until]').forEach((td) => {
    td.textContent = clock.until(Number(td.dataset.until) || 0);
  });
  const updated = byId('updated');
  updated.replaceChildren(el('span', view.ok ? 'live' : 'live stale'));
  updated.append(`up ${span(view.doc.uptimeSeconds * 1000 + clock.sinceSync())} · updated ${span(clock.sinceSync())} ago`);
}

async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(url, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${url.split('?')[0]} answered HTTP ${res.status}`);
  return (await res.json()) as T;
}

function range(): RangeName {
  const v = rangeSelect.value;
  return v === '1h' || v === '7d' ? v : '24h';
}

function draw(doc: StatusDocument, all: HistorySeries, perKey: HistorySeries): void {
  renderSummary(doc, clock);
  renderConfiguration(doc);
  renderRefresh(doc, clock);
  const label = { '1h': 'last hour, per minute', '24h': 'last 24 hours, per hour', '7d': 'last 7 days, per hour' }[all.range];
  byId('charts-range').textContent = label;
  charts.render(all);
  renderTraffic(byId<HTMLTableElement>('routes'), 'Route', doc.endpoints?.routes ?? [], clock);
  renderTraffic(byId<HTMLTableElement>('upstreams'), 'Upstream', doc.endpoints?.upstreams ?? [], clock);
  renderTraffic(byId<HTMLTableElement>('models'), 'Model', doc.models ?? [], clock);
  renderClients(doc.clients, clock);
  keys.render(doc, { clock, admin, history: perKey.series, act: callAdmin });
}

function schedule(): void {
  clearTimeout(view.timer);
  const seconds = Number(intervalSelect.value) || 0;
  if (seconds > 0) view.timer = window.setTimeout(() => void load(), seconds * 1000);
}

async function load(): Promise<void> {
  const r = range();
  try {
    const [doc, all, perKey] = await Promise.all([
      getJson<StatusDocument>(`${urls.status}?range=${r}`),
      getJson<HistorySeries>(`${urls.history}?range=${r}&dimension=all`),
      getJson<HistorySeries>(`${urls.history}?range=${r}&dimension=key`),
    ]);
    clock.sync(doc.now);
    view.doc = doc;
    view.ok = true;
    if (view.loadError) message('');
    for (const section of document.querySelectorAll<HTMLElement>('.js-only')) section.hidden = false;
    draw(doc, all, perKey);
    body.dataset.loaded = '1';
  } catch (err) {
    view.ok = false;
    message(`Could not load the status: ${err instanceof Error ? err.message : String(err)}`, 'bad');
    view.loadError = true;
  }
  tick();
  schedule();
}

async function callAdmin(path: string, label: string): Promise<void> {
  const key = adminInput.value.trim();
  if (!key) {
    message('Type the admin key first.', 'bad');
    adminInput.focus();
    return;
  }
  try {
    const res = await fetch(urls.admin + path, { method: 'POST', headers: { 'x-admin-key': key } });
    const answer = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
    if (!res.ok) throw new Error(answer.error?.message || `HTTP ${res.status}`);
    message(`${label} done.`, 'ok');
    await load();
  } catch (err) {
    message(`${label} failed: ${err instanceof Error ? err.message : String(err)}`, 'bad');
  }
}

function setupAdmin(): void {
  byId('admin').hidden = !admin;
  if (!admin) return;
  adminInput.value = sessionStorage.getItem(ADMIN_STORE) ?? '';
  adminInput.addEventListener('change', () => sessionStorage.setItem(ADMIN_STORE, adminInput.value.trim()));
  byId('admin-forget').addEventListener('click', () => {
    sessionStorage.removeItem(ADMIN_STORE);
    adminInput.value = '';
    message('Admin key forgotten for this tab.', 'ok');
  });
  byId('reset-all').addEventListener('click', () => void callAdmin('keys/reset', 'Reset all'));
}

/** A remembered choice of a select, if it is still one of its options. */
function remember(select: HTMLSelectElement, store: string, onChange: () => void): void {
  const saved = localStorage.getItem(store);
  if (saved !== null && [...select.options].some((o) => o.value === saved)) select.value = saved;
  select.addEventListener('change', () => {
    localStorage.setItem(store, select.value);
    onChange();
  });
}

remember(intervalSelect, INTERVAL_STORE, schedule);
remember(rangeSelect, RANGE_STORE, () => void load());
byId('refresh-now').addEventListener('click', () => void load());
setupAdmin();
window.setInterval(tick, 1000);
void load();
