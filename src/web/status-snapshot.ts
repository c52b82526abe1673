import type { StatusDocument, StatusKey } from '../routes/status-data.js';

/**
 * The status figures rendered on the server, so the page says something without JavaScript
 * (and before the first fetch): the same summary cards and key rows the script draws, which
 * it replaces on its first refresh. Every value is escaped; keys appear masked only.
 */
const nf = new Intl.NumberFormat('en-US');

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function card(label: string, value: string, cls = ''): string {
  return `<div class="card${cls ? ` ${cls}` : ''}"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`;
}

function rate(value: number | null): string {
  return value === null ? '–' : `${(value * 100).toFixed(1)}%`;
}

function when(ms: number | undefined): string {
  return ms === undefined ? '–' : new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

function countStatus(k: StatusKey, from: number, to: number): number {
  let n = 0;
  for (const [status, count] of Object.entries(k.byStatus)) if (Number(status) >= from && Number(status) <= to) n += count;
  return n;
}

/** The key table's columns, as the snapshot renders them (the script draws its own, sortable). */
const COLUMNS: ReadonlyArray<[string, string]> = [
  ['Key', ''], ['Fingerprint', ''], ['Status', ''], ['Reason', ''], ['Success', 'num'], ['Failure', 'num'],
  ['Rate', 'num'], ['429', 'num'], ['5xx', 'num'], ['Tokens in', 'num'], ['Tokens out', 'num'],
  ['Last used', ''], ['Cooling until', ''], ['Allowance', 'allowance'],
];

export function keyHead(admin: boolean): string {
  const cells = COLUMNS.map(([label, cls]) => (cls ? `<th class="${cls}">${label}</th>` : `<th>${label}</th>`));
  if (admin) cells.push('<th>Actions</th>');
  return `<tr>${cells.join('')}</tr>`;
}

export function summaryCards(doc: StatusDocument): string {
  const t = doc.totals;
  const total = t.success + t.failure;
  return [
    card('Keys', nf.format(t.keys)),
    card('Active', nf.format(t.active), 'active'),
    card('Cooling', nf.format(t.cooling), 'cooling'),
    card('Disabled', nf.format(t.disabled), 'disabled'),
    card('Retired', nf.format(t.retired), 'retired'),
    card('Success', nf.format(t.success)),
    card('Failure', nf.format(t.failure)),
    card('Success rate', rate(total ? t.success / total : null)),
    card('Tokens in', nf.format(t.tokensIn)),
    card('Tokens out', nf.format(t.tokensOut)),
  ].join('');
}

function keyRow(k: StatusKey, admin: boolean): string {
  const td = (text: string, cls = '') => `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(text)}</td>`;
  const cells = [
    td(k.masked, 'mono'),
    td(k.fingerprint, 'mono'),
    `<td><span class="badge badge-${k.status}">${k.status}</span></td>`,
    td(k.reason ?? k.lastError ?? '', 'reason'),
    td(nf.format(k.success), 'num'),
    td(nf.format(k.failure), 'num'),
    td(rate(k.successRate), 'num'),
    td(nf.format(countStatus(k, 429, 429)), 'num'),
    td(nf.format(countStatus(k, 500, 599)), 'num'),
    td(nf.format(k.tokensIn), 'num'),
    td(nf.format(k.tokensOut), 'num'),
    td(when(k.lastUsed)),
    td(k.status === 'cooling' ? when(k.coolingUntil) : '–'),
    td('', 'allowance'),
  ];
  // Admin actions need the script (they call the admin API): the cell stays empty without it.
  if (admin) cells.push('<td></td>');
  return `<tr data-fingerprint="${escapeHtml(k.fingerprint)}">${cells.join('')}</tr>`;
}

export function keyRows(doc: StatusDocument, admin: boolean): string {
  if (doc.keys.length === 0) return `<tr class="empty"><td colspan="${COLUMNS.length + (admin ? 1 : 0)}">No key pool: ${escapeHtml(doc.source)}</td></tr>`;
  return doc.keys.map((k) => keyRow(k, admin)).join('');
}

export function warningList(warnings: readonly string[]): string {
  if (warnings.length === 0) return '';
  const items = warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('');
  return `<section id="warnings" class="panel" aria-label="Warnings"><h2>Warnings</h2><ul class="warnings">${items}</ul></section>`;
}
