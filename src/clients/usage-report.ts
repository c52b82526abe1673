import { addCounts, emptyCounts, RESOLUTIONS, type HistoryCounts, type HistoryRow } from '../history/counts.js';
import { invalidRequest } from '../errors.js';
import { usageKeyParts } from './usage-key.js';

export const GROUPS = ['client', 'model', 'day', 'hour'] as const;
export type Group = (typeof GROUPS)[number];

export interface UsageRow {
  client?: string;
  client_id?: string;
  model?: string;
  day?: string;
  hour?: string;
  requests: number;
  errors: number;
  tokens_in: number;
  tokens_out: number;
  tokens_cached: number;
  tokens_total: number;
}

/** `group_by`: one or several of client, model, day, hour, comma-separated. */
export function parseGroups(raw: unknown): Group[] {
  if (raw === undefined || raw === '') return ['client'];
  const parts = String(raw).split(',').map((s) => s.trim()).filter(Boolean);
  const groups: Group[] = [];
  for (const p of parts) {
    if (!GROUPS.includes(p as Group)) throw invalidRequest(`group_by: expected client, model, day or hour (several joined by commas), got ${p}`, 'group_by');
    if (!groups.includes(p as Group)) groups.push(p as Group);
  }
  return groups;
}

/** `from` / `to`: an ISO 8601 date or date-time, or epoch seconds. */
export function parseTime(raw: unknown, name: string, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const s = String(raw);
  const ms = /^\d+$/.test(s) ? Number(s) * 1000 : Date.parse(s);
  if (!Number.isFinite(ms)) throw invalidRequest(`${name}: expected an ISO 8601 date (2026-12-01 or 2026-12-01T00:00:00Z) or epoch seconds, got ${s}`, name);
  return ms;
}

/** The hour rows of the `client` dimension summed per group, in a stable order. */
export function groupUsage(rows: readonly HistoryRow[], groups: readonly Group[], nameOf: (id: string) => string | undefined): UsageRow[] {
  const sums = new Map<string, { fields: Partial<UsageRow>; counts: HistoryCounts }>();
  for (const row of rows) {
    const { clientId, model } = usageKeyParts(row.value);
    const fields: Partial<UsageRow> = {};
    for (const g of groups) {
      if (g === 'client') {
        fields.client = nameOf(clientId) ?? '(deleted)';
        fields.client_id = clientId;
      } else if (g === 'model') fields.model = model;
      else if (g === 'day') fields.day = new Date(row.bucket - (row.bucket % (24 * RESOLUTIONS.hour))).toISOString().slice(0, 10);
      else fields.hour = new Date(row.bucket).toISOString();
    }
    const key = JSON.stringify(fields);
    const sum = sums.get(key);
    if (sum) addCounts(sum.counts, row.counts);
    else sums.set(key, { fields, counts: addCounts(emptyCounts(), row.counts) });
  }
  const out = [...sums.values()].map(({ fields, counts: c }) => ({
    ...fields,
    requests: c.requests,
    errors: c.errors4xx + c.errors5xx,
    tokens_in: c.tokensIn,
    tokens_out: c.tokensOut,
    tokens_cached: c.tokensCached,
    tokens_total: c.tokensIn + c.tokensOut,
  }));
  const order = (r: UsageRow) => [r.day ?? '', r.hour ?? '', r.client ?? '', r.client_id ?? '', r.model ?? ''].join('\u0000');
  return out.sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

const COUNT_COLUMNS = ['requests', 'errors', 'tokens_in', 'tokens_out', 'tokens_cached', 'tokens_total'] as const;

/** Every row added up: the whole range's figures. */
export function usageTotals(rows: readonly UsageRow[]): Pick<UsageRow, (typeof COUNT_COLUMNS)[number]> {
  const total = { requests: 0, errors: 0, tokens_in: 0, tokens_out: 0, tokens_cached: 0, tokens_total: 0 };
  for (const r of rows) for (const c of COUNT_COLUMNS) total[c] += r[c];
  return total;
}

function csvCell(value: string | number | undefined): string {
  const s = value === undefined ? '' : String(value);
  // Quoted when needed; a leading = + - @ would be a formula to a spreadsheet.
  const safe = /^[=+\-@]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function usageCsv(rows: readonly UsageRow[], groups: readonly Group[]): string {
  const columns: Array<keyof UsageRow> = [];
  for (const g of groups) {
    if (g === 'client') columns.push('client', 'client_id');
    else columns.push(g);
  }
  columns.push(...COUNT_COLUMNS);
  const lines = [columns.join(',')];
  for (const r of rows) lines.push(columns.map((c) => csvCell(r[c])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
