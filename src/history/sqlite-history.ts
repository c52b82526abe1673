import Database from 'better-sqlite3';
import { chmodSync, closeSync, openSync } from 'node:fs';
import { DIMENSIONS, LATENCY_BUCKETS, RESOLUTIONS, SCALARS, emptyCounts, type Dimension, type HistoryRow, type Resolution } from './counts.js';
import { RETENTION_MS, type ErrorDimension, type HistoryQuery, type HistoryStore, type LastErrorEntry } from './history-store.js';
import type { LastError } from '../web/status-wire.js';

export const HISTORY_FILE_NAME = 'history.sqlite';

/** Several WORKERS write the same file; a short wait, then the batch is retried by the caller. */
const BUSY_TIMEOUT_MS = 250;

const TTFB = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `ttfb${i}`);
const TOTAL = Array.from({ length: LATENCY_BUCKETS }, (_, i) => `total${i}`);
const COUNT_COLUMNS = [...SCALARS, ...TTFB, ...TOTAL];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS history (
  resolution TEXT NOT NULL, bucket INTEGER NOT NULL, dimension TEXT NOT NULL, value TEXT NOT NULL,
  ${COUNT_COLUMNS.map((c) => `${c} INTEGER NOT NULL DEFAULT 0`).join(', ')},
  PRIMARY KEY (resolution, dimension, bucket, value)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS last_errors (
  dimension TEXT NOT NULL, value TEXT NOT NULL, at INTEGER NOT NULL, status INTEGER NOT NULL, code TEXT,
  PRIMARY KEY (dimension, value)
) WITHOUT ROWID;
`;

/** Replaces a stored last error only with a later one, whichever process writes first. */
const KEEP_LAST_ERROR =
  'INSERT INTO last_errors (dimension, value, at, status, code) VALUES (?, ?, ?, ?, ?) ' +
  'ON CONFLICT (dimension, value) DO UPDATE SET at = excluded.at, status = excluded.status, code = excluded.code WHERE excluded.at > last_errors.at';

type StoredRow = Record<string, number | string | null>;

/**
 * History in its own SQLite file beside the state file: its writes (a batch every few
 * seconds) never queue behind key-state writes, and every WORKERS process adds its own
 * batches to the one file (an UPSERT that adds), so the totals are those of one process.
 */
export class SqliteHistory implements HistoryStore {
  private readonly upsert: (rows: readonly HistoryRow[]) => void;
  private readonly keepErrors: (entries: readonly LastErrorEntry[]) => void;

  private constructor(
    private readonly db: Database.Database,
    private readonly retention: Record<Resolution, number>,
  ) {
    const insert = db.prepare(
      `INSERT INTO history (resolution, bucket, dimension, value, ${COUNT_COLUMNS.join(', ')}) ` +
        `VALUES (${['?', '?', '?', '?', ...COUNT_COLUMNS.map(() => '?')].join(', ')}) ` +
        `ON CONFLICT (resolution, dimension, bucket, value) DO UPDATE SET ${COUNT_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
    );
    this.upsert = db.transaction((rows: readonly HistoryRow[]) => {
      for (const r of rows) {
        insert.run(r.resolution, r.bucket, r.dimension, r.value, ...SCALARS.map((s) => r.counts[s]), ...r.counts.ttfb, ...r.counts.total);
      }
    });
    const keepError = db.prepare(KEEP_LAST_ERROR);
    this.keepErrors = db.transaction((entries: readonly LastErrorEntry[]) => {
      for (const { dimension, value, error } of entries) keepError.run(dimension, value, error.at, error.status, error.code ?? null);
    });
  }

  /** Opens (creating with mode 0600) the history file. */
  static open(file: string, retention: Record<Resolution, number> = RETENTION_MS): SqliteHistory {
    closeSync(openSync(file, 'a', 0o600));
    const db = new Database(file, { timeout: BUSY_TIMEOUT_MS });
    try {
      chmodSync(file, 0o600);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(SCHEMA);
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteHistory(db, retention);
  }

  async add(rows: readonly HistoryRow[]): Promise<void> {
    if (rows.length > 0) this.upsert(rows);
  }

  async read(q: HistoryQuery): Promise<HistoryRow[]> {
    const rows = this.db
      .prepare('SELECT * FROM history WHERE resolution = ? AND dimension = ? AND bucket >= ? AND bucket < ? ORDER BY bucket, value')
      .all(q.resolution, q.dimension, q.from, q.to) as StoredRow[];
    return rows.map(toRow).filter((r): r is HistoryRow => r !== undefined);
  }

  async keepLastErrors(entries: readonly LastErrorEntry[]): Promise<void> {
    if (entries.length > 0) this.keepErrors(entries);
  }

  async lastErrors(dimension: ErrorDimension): Promise<Map<string, LastError>> {
    const rows = this.db.prepare('SELECT value, at, status, code FROM last_errors WHERE dimension = ?').all(dimension) as StoredRow[];
    return new Map(rows.map((r) => [String(r.value), { at: Number(r.at), status: Number(r.status), code: typeof r.code === 'string' ? r.code : undefined }]));
  }

  async prune(now: number): Promise<void> {
    const del = this.db.prepare('DELETE FROM history WHERE resolution = ? AND bucket < ?');
    for (const res of Object.keys(RESOLUTIONS) as Resolution[]) del.run(res, now - this.retention[res]);
    this.db.prepare('DELETE FROM last_errors WHERE at < ?').run(now - this.retention.hour);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function toRow(stored: StoredRow): HistoryRow | undefined {
  const resolution = stored.resolution;
  const dimension = stored.dimension;
  if (resolution !== 'minute' && resolution !== 'hour') return undefined;
  if (!DIMENSIONS.includes(dimension as Dimension)) return undefined;
  const counts = emptyCounts();
  for (const s of SCALARS) counts[s] = Number(stored[s] ?? 0);
  counts.ttfb = TTFB.map((c) => Number(stored[c] ?? 0));
  counts.total = TOTAL.map((c) => Number(stored[c] ?? 0));
  return { resolution, bucket: Number(stored.bucket), dimension: dimension as Dimension, value: String(stored.value), counts };
}
