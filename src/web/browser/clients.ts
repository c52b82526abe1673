import { byId, cell, el, headRow } from './dom.js';
import { count, tokens, type ServerClock } from './format.js';
import type { ClientStatus } from './types.js';

const COLUMNS = [
  ['Client', ''], ['State', ''], ['Models', ''], ['This minute', ''], ['Today', 'usage'], ['This month', 'usage'],
  ['In flight', 'num'], ['Last use', ''], ['Expires', ''],
] as const;

/** "used / limit" with a bar when there is a limit, the count alone without one. */
function usage(td: HTMLTableCellElement, used: number, limit: number | undefined, unit: (n: number) => string): void {
  if (limit === undefined) {
    td.textContent = `${unit(used)} (no limit)`;
    return;
  }
  const ratio = limit > 0 ? Math.min(1, used / limit) : 1;
  const bar = el('div', `bar${ratio >= 1 ? ' full' : ratio >= 0.8 ? ' high' : ''}`);
  const fill = el('div', 'bar-fill');
  fill.style.width = `${(ratio * 100).toFixed(1)}%`;
  bar.appendChild(fill);
  bar.setAttribute('role', 'meter');
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', String(limit));
  bar.setAttribute('aria-valuenow', String(used));
  td.append(el('div', 'bar-label', `${unit(used)} / ${unit(limit)}`), bar);
}

function perMinute(c: ClientStatus): string {
  const parts = [`${count(c.usage.minute.requests)}${c.limits.rpm !== undefined ? ` / ${count(c.limits.rpm)}` : ''} req`];
  parts.push(`${tokens(c.usage.minute.tokens)}${c.limits.tpm !== undefined ? ` / ${tokens(c.limits.tpm)}` : ''} tok`);
  return parts.join(' · ');
}

function clientRow(c: ClientStatus, clock: ServerClock): HTMLTableRowElement {
  const tr = el('tr');
  tr.dataset.client = c.id;
  const name = cell(tr, '');
  name.append(el('div', '', c.name), el('div', 'muted mono', c.id));
  const expired = c.expires_at !== null && Date.parse(c.expires_at) <= clock.now();
  const state = c.disabled ? 'disabled' : expired ? 'expired' : 'active';
  cell(tr, '').appendChild(el('span', `badge badge-${state === 'active' ? 'active' : 'disabled'}`, state));
  cell(tr, c.models === null ? 'all' : c.models.join(', '), 'reason');
  cell(tr, perMinute(c));
  usage(cell(tr, '', 'usage'), c.usage.today.tokens, c.limits.tokens_per_day, tokens);
  usage(cell(tr, '', 'usage'), c.usage.month.tokens, c.limits.tokens_per_month, tokens);
  cell(tr, `${count(c.in_flight)}${c.limits.concurrency !== undefined ? ` / ${count(c.limits.concurrency)}` : ''}`, 'num');
  const last = cell(tr, clock.ago(c.last_used_at));
  last.dataset.ago = String(c.last_used_at ?? '');
  cell(tr, c.expires_at === null ? 'never' : new Date(c.expires_at).toLocaleString());
  return tr;
}

/**
 * The client keys with their limits and usage: only when status.json carries them (the
 * admin's view); with none yet, a line on how to make one.
 */
export function renderClients(clients: readonly ClientStatus[] | undefined, clock: ServerClock): void {
  const section = byId('clients');
  section.hidden = !Array.isArray(clients);
  if (!Array.isArray(clients)) return;
  byId('clients-empty').hidden = clients.length > 0;
  const table = byId<HTMLTableElement>('clients-table');
  table.hidden = clients.length === 0;
  const body = el('tbody');
  body.append(...clients.map((c) => clientRow(c, clock)));
  const head = el('thead');
  head.appendChild(headRow(COLUMNS));
  table.replaceChildren(head, body);
}
