import { cell, el, emptyRow, headRow } from './dom.js';
import { count, ms, rate, tokens, type ServerClock } from './format.js';
import type { TrafficSummary } from './types.js';

const COLUMNS = [
  ['', ''], ['Requests', 'num'], ['Success', 'num'], ['4xx', 'num'], ['5xx', 'num'], ['Failovers', 'num'],
  ['TTFB p50', 'num'], ['TTFB p95', 'num'], ['Total p50', 'num'], ['Total p95', 'num'],
  ['Tokens in', 'num'], ['Tokens out', 'num'], ['Cached', 'num'], ['Last error', ''],
] as const;

function lastError(row: TrafficSummary, clock: ServerClock): string {
  const e = row.lastError;
  return e ? `${e.status}${e.code ? ` ${e.code}` : ''} · ${clock.ago(e.at)}` : '–';
}

function trafficRow(row: TrafficSummary, clock: ServerClock): HTMLTableRowElement {
  const tr = el('tr');
  tr.dataset.name = row.name;
  cell(tr, row.name, 'mono name');
  cell(tr, count(row.requests), 'num requests');
  const success = cell(tr, rate(row.successRate), 'num success');
  if (row.successRate !== null && row.successRate < 0.95) success.classList.add('bad');
  cell(tr, count(row.errors4xx), 'num e4xx');
  cell(tr, count(row.errors5xx), 'num e5xx');
  cell(tr, count(row.failovers), 'num failovers');
  cell(tr, ms(row.ttfbP50Ms), 'num');
  cell(tr, ms(row.ttfbP95Ms), 'num');
  cell(tr, ms(row.totalP50Ms), 'num');
  cell(tr, ms(row.totalP95Ms), 'num');
  cell(tr, tokens(row.tokensIn), 'num tokens-in');
  cell(tr, tokens(row.tokensOut), 'num tokens-out');
  cell(tr, tokens(row.tokensCached), 'num');
  cell(tr, lastError(row, clock), 'last-error');
  return tr;
}

/** One traffic table (client routes, upstream endpoints or models), busiest first as the server sends them. */
export function renderTraffic(table: HTMLTableElement, first: string, rows: readonly TrafficSummary[], clock: ServerClock): void {
  const columns = COLUMNS.map(([label, cls], i) => [i === 0 ? first : label, cls] as const);
  table.replaceChildren(el('thead'), el('tbody'));
  table.tHead!.appendChild(headRow(columns));
  const body = table.tBodies[0]!;
  if (rows.length === 0) body.appendChild(emptyRow('No traffic in this range.', columns.length));
  else body.append(...rows.map((r) => trafficRow(r, clock)));
}
