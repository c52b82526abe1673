import { button, byId, cell, el, emptyRow } from './dom.js';
import { count, rate, span, tokens, when, type ServerClock } from './format.js';
import { sparkline } from './sparkline.js';
import type { AllowanceWindow, SeriesValues, StatusDocument, StatusKey } from './types.js';

/** What a key row needs besides the key: the clock, the key's recent history, and the admin actions. */
export interface KeyContext {
  clock: ServerClock;
  admin: boolean;
  history: Readonly<Record<string, SeriesValues>>;
  act(path: string, label: string): void;
}

type SortValue = number | string;

interface Column {
  label: string;
  cls: string;
  /** Absent: the column does not sort (actions). */
  sort?: (k: StatusKey, ctx: KeyContext) => SortValue;
  fill(td: HTMLTableCellElement, k: StatusKey, ctx: KeyContext): void;
}

const STATUS_ORDER: Record<string, number> = { active: 0, cooling: 1, disabled: 2, retired: 3 };

function countStatus(k: StatusKey, lo: number, hi: number): number {
  let n = 0;
  for (const [status, c] of Object.entries(k.byStatus)) if (Number(status) >= lo && Number(status) <= hi) n += c;
  return n;
}

const recent = (k: StatusKey, ctx: KeyContext): number => (ctx.history[k.fingerprint]?.requests ?? []).reduce((a, b) => a + b, 0);

/** A window as "standard 25% · 15k left · resets in 5h 0m". */
function windowText(w: AllowanceWindow, clock: ServerClock): string {
  const parts = [`${w.name} ${w.usedPercent}%`];
  if (w.leftTokens !== undefined) parts.push(`${tokens(w.leftTokens)} left`);
  if (w.endsAt) parts.push(`resets in ${span(w.endsAt - clock.now())}`);
  return parts.join(' · ');
}

function fillAllowance(td: HTMLTableCellElement, k: StatusKey, clock: ServerClock): void {
  const a = k.allowance;
  if (!a || a.state !== 'known') {
    td.textContent = a?.state === 'unknown' ? 'unknown' : 'not checked yet';
    if (a?.problem) td.title = a.problem;
    return;
  }
  for (const w of a.windows) td.appendChild(el('div', w.usedPercent >= 100 ? 'spent' : '', windowText(w, clock)));
  td.appendChild(el('div', 'checked', `checked ${clock.ago(a.checkedAt)}`));
}

const text = (value: (k: StatusKey, ctx: KeyContext) => string) => (td: HTMLTableCellElement, k: StatusKey, ctx: KeyContext) => {
  td.textContent = value(k, ctx);
};

const COLUMNS: readonly Column[] = [
  { label: 'Key', cls: 'mono', sort: (k) => k.masked, fill: text((k) => k.masked) },
  { label: 'Fingerprint', cls: 'mono', sort: (k) => k.fingerprint, fill: text((k) => k.fingerprint) },
  {
    label: 'Status', cls: '', sort: (k) => STATUS_ORDER[k.status] ?? 9,
    fill: (td, k) => td.appendChild(el('span', `badge badge-${k.status}`, k.status)),
  },
  { label: 'Reason', cls: 'reason', sort: (k) => k.reason ?? k.lastError ?? '', fill: text((k) => k.reason ?? k.lastError ?? '') },
  {
    label: 'Trend', cls: 'trend', sort: recent,
    fill: (td, k, ctx) => {
      const s = ctx.history[k.fingerprint];
      if (s) td.appendChild(sparkline(s.requests, s.errors, `${count(recent(k, ctx))} requests in this range`));
    },
  },
  { label: 'Success', cls: 'num', sort: (k) => k.success, fill: text((k) => count(k.success)) },
  { label: 'Failure', cls: 'num', sort: (k) => k.failure, fill: text((k) => count(k.failure)) },
  { label: 'Rate', cls: 'num', sort: (k) => k.successRate ?? -1, fill: text((k) => rate(k.successRate)) },
  { label: '429', cls: 'num', sort: (k) => countStatus(k, 429, 429), fill: text((k) => count(countStatus(k, 429, 429))) },
  { label: '5xx', cls: 'num', sort: (k) => countStatus(k, 500, 599), fill: text((k) => count(countStatus(k, 500, 599))) },
  { label: 'Tokens in', cls: 'num', sort: (k) => k.tokensIn, fill: text((k) => tokens(k.tokensIn)) },
  { label: 'Tokens out', cls: 'num', sort: (k) => k.tokensOut, fill: text((k) => tokens(k.tokensOut)) },
  {
    label: 'Last used', cls: '', sort: (k) => k.lastUsed ?? 0,
    fill: (td, k, ctx) => {
      td.dataset.ago = String(k.lastUsed ?? '');
      td.textContent = ctx.clock.ago(k.lastUsed);
    },
  },
  {
    label: 'Cooling until', cls: '', sort: (k) => (k.status === 'cooling' ? (k.coolingUntil ?? 0) : 0),
    fill: (td, k, ctx) => {
      if (k.status !== 'cooling') {
        td.textContent = '–';
        return;
      }
      td.dataset.until = String(k.coolingUntil ?? '');
      td.textContent = ctx.clock.until(k.coolingUntil);
    },
  },
  { label: 'Allowance', cls: 'allowance', sort: (k) => k.allowance?.windows[0]?.usedPercent ?? -1, fill: (td, k, ctx) => fillAllowance(td, k, ctx.clock) },
];

const ACTIONS: Column = {
  label: 'Actions', cls: '',
  fill: (td, k, ctx) => {
    const path = (verb: string) => `keys/${encodeURIComponent(k.fingerprint)}/${verb}`;
    const box = el('div', 'actions');
    box.append(
      button('Reinstate', () => ctx.act(path('reinstate'), 'Reinstate'), k.status !== 'active'),
      button('Reset', () => ctx.act(path('reset'), 'Reset')),
      button('Check', () => ctx.act(path('check'), 'Check')),
    );
    td.appendChild(box);
  },
};

/** Whether a key matches the filter box: every word somewhere in its key, fingerprint, status or reason. */
function matches(k: StatusKey, words: readonly string[]): boolean {
  const hay = `${k.masked} ${k.fingerprint} ${k.status} ${k.reason ?? ''} ${k.lastError ?? ''}`.toLowerCase();
  return words.every((w) => hay.includes(w));
}

/**
 * The keys table: filter box, sort by any column (click a header; again to reverse), and
 * the retired keys grouped apart with when and why. It keeps its own view state across
 * refreshes; a pool of hundreds of keys is redrawn in one pass per refresh.
 */
export class KeysTable {
  #sortBy = -1;
  #descending = false;
  #doc: StatusDocument | undefined;
  #ctx: KeyContext | undefined;
  readonly #columns: readonly Column[];
  readonly #table = byId<HTMLTableElement>('keys');
  readonly #filter = byId<HTMLInputElement>('key-filter');

  constructor(admin: boolean) {
    this.#columns = admin ? [...COLUMNS, ACTIONS] : COLUMNS;
    this.#filter.addEventListener('input', () => this.#draw());
    this.#table.tHead!.replaceChildren(this.#head());
  }

  render(doc: StatusDocument, ctx: KeyContext): void {
    this.#doc = doc;
    this.#ctx = ctx;
    this.#draw();
    this.#drawRetired(doc, ctx.clock);
  }

  #head(): HTMLTableRowElement {
    const tr = el('tr');
    this.#columns.forEach((c, i) => {
      const th = el('th', c.cls);
      if (!c.sort) {
        th.textContent = c.label;
      } else {
        th.appendChild(button(c.label, () => this.#sortOn(i)));
        th.setAttribute('aria-sort', i === this.#sortBy ? (this.#descending ? 'descending' : 'ascending') : 'none');
      }
      tr.appendChild(th);
    });
    return tr;
  }

  #sortOn(i: number): void {
    this.#descending = i === this.#sortBy ? !this.#descending : false;
    this.#sortBy = i;
    this.#table.tHead!.replaceChildren(this.#head());
    this.#draw();
  }

  #draw(): void {
    const doc = this.#doc;
    const ctx = this.#ctx;
    if (!doc || !ctx) return;
    const body = this.#table.tBodies[0]!;
    if (doc.keys.length === 0) {
      body.replaceChildren(emptyRow(`No key pool: ${doc.source}`, this.#columns.length));
      byId('key-count').textContent = '';
      return;
    }
    const words = this.#filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    let keys = words.length ? doc.keys.filter((k) => matches(k, words)) : doc.keys.slice();
    const sort = this.#columns[this.#sortBy]?.sort;
    if (sort) {
      const dir = this.#descending ? -1 : 1;
      const keyed = keys.map((k) => [sort(k, ctx), k] as const);
      keyed.sort(([a], [b]) => (a < b ? -dir : a > b ? dir : 0));
      keys = keyed.map(([, k]) => k);
    }
    body.replaceChildren(...keys.map((k) => this.#row(k, ctx)));
    if (keys.length === 0) body.appendChild(emptyRow('No key matches the filter.', this.#columns.length));
    const paged = doc.keysPage.total > doc.keys.length ? ` (first ${count(doc.keys.length)} of ${count(doc.keysPage.total)})` : '';
    byId('key-count').textContent = `${count(keys.length)} of ${count(doc.keys.length)} keys shown${paged}`;
  }

  #row(k: StatusKey, ctx: KeyContext): HTMLTableRowElement {
    const tr = el('tr');
    tr.dataset.fingerprint = k.fingerprint;
    for (const c of this.#columns) c.fill(cell(tr, '', c.cls), k, ctx);
    return tr;
  }

  #drawRetired(doc: StatusDocument, clock: ServerClock): void {
    const retired = doc.keys.filter((k) => k.status === 'retired').sort((a, b) => (b.changedAt ?? 0) - (a.changedAt ?? 0));
    byId('retired').hidden = retired.length === 0;
    byId<HTMLTableElement>('retired-table').tBodies[0]!.replaceChildren(
      ...retired.map((k) => {
        const tr = el('tr');
        tr.dataset.fingerprint = k.fingerprint;
        cell(tr, k.masked, 'mono');
        cell(tr, k.fingerprint, 'mono');
        cell(tr, k.changedAt ? `${when(k.changedAt)} (${clock.ago(k.changedAt)})` : '–');
        cell(tr, k.reason ?? k.lastError ?? '–', 'reason');
        return tr;
      }),
    );
  }
}
