import { addCounts, emptyCounts, type HistoryRow, type Resolution } from './counts.js';
import { RETENTION_MS, lastErrorMaps, type ErrorDimension, type HistoryQuery, type HistoryStore, type LastErrorEntry } from './history-store.js';
import type { LastError } from '../web/status-wire.js';

function rowKey(r: Pick<HistoryRow, 'resolution' | 'bucket' | 'dimension' | 'value'>): string {
  return `${r.resolution}\u0000${r.bucket}\u0000${r.dimension}\u0000${r.value}`;
}

/** History of one process lifetime (STATE_STORE=memory). */
export class MemoryHistory implements HistoryStore {
  readonly #rows = new Map<string, HistoryRow>();
  readonly #lastErrors = lastErrorMaps();

  constructor(private readonly retention: Record<Resolution, number> = RETENTION_MS) {}

  async add(rows: readonly HistoryRow[]): Promise<void> {
    for (const row of rows) {
      const key = rowKey(row);
      const stored = this.#rows.get(key);
      if (stored) addCounts(stored.counts, row.counts);
      else this.#rows.set(key, { ...row, counts: addCounts(emptyCounts(), row.counts) });
    }
  }

  async read(q: HistoryQuery): Promise<HistoryRow[]> {
    const out: HistoryRow[] = [];
    for (const row of this.#rows.values()) {
      if (row.resolution === q.resolution && row.dimension === q.dimension && row.bucket >= q.from && row.bucket < q.to) {
        out.push({ ...row, counts: addCounts(emptyCounts(), row.counts) });
      }
    }
    return out.sort((a, b) => a.bucket - b.bucket || (a.value < b.value ? -1 : 1));
  }

  async keepLastErrors(entries: readonly LastErrorEntry[]): Promise<void> {
    for (const { dimension, value, error } of entries) {
      const errors = this.#lastErrors[dimension];
      if ((errors.get(value)?.at ?? -Infinity) < error.at) errors.set(value, { ...error });
    }
  }

  async lastErrors(dimension: ErrorDimension): Promise<Map<string, LastError>> {
    return new Map([...this.#lastErrors[dimension]].map(([value, error]) => [value, { ...error }]));
  }

  async prune(now: number): Promise<void> {
    for (const [key, row] of this.#rows) if (row.bucket < now - this.retention[row.resolution]) this.#rows.delete(key);
    for (const errors of Object.values(this.#lastErrors)) for (const [value, e] of errors) if (e.at < now - this.retention.hour) errors.delete(value);
  }

  async close(): Promise<void> {}
}
