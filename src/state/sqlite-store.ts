import Database from 'better-sqlite3';
import { chmodSync, closeSync, openSync } from 'node:fs';
import { z } from 'zod';
import { assertNever } from '../runtime/guards.js';
import { GatewayError } from '../errors.js';
import { StartupError } from '../startup-error.js';
import type { Clock } from '../runtime/clock.js';
import { every, type Interval } from '../runtime/interval.js';
import { byFingerprint, copyKeyRecord } from './memory-store.js';
import { isLastingChange, type KeyRecord, type KeyStatus, type StateStore } from './store.js';
import { WriteLag } from './write-lag.js';
import { PROCESSES_SCHEMA, SqliteProcesses } from './sqlite-processes.js';

/** The slice of a pino/Fastify logger the store uses (FastifyBaseLogger fits). */
export interface StoreLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

export interface SqliteStoreOptions {
  file: string;
  log: StoreLog;
  clock: Clock;
  /** How often queued key records are written; default 1000 ms. */
  flushIntervalMs?: number;
}

type PendingWrite = { op: 'save'; record: KeyRecord } | { op: 'delete' };
type StoreState = 'open' | 'closed';

const DEFAULT_FLUSH_INTERVAL_MS = 1000;
// The file belongs to this process alone; a foreign lock must not stall the event loop for
// long (better-sqlite3 blocks while it waits). A busy flush simply retries next interval.
const BUSY_TIMEOUT_MS = 100;
/** Claims made between two sweeps of the expired ones. */
const CLAIM_SWEEP_EVERY = 500;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS keys (fingerprint TEXT PRIMARY KEY, record TEXT NOT NULL, updated_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS added_keys (secret TEXT PRIMARY KEY, added_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS kv (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`;

const KEY_STATUSES = ['active', 'cooling', 'disabled', 'retired'] as const satisfies readonly KeyStatus[];

// Counters default to 0 so a record written by an older version (fewer fields) still loads;
// a wrong type means the row is corrupt and it is skipped.
const count = z.number().default(0);
const storedKeyRecord = z.object({
  fingerprint: z.string().min(1),
  status: z.enum(KEY_STATUSES),
  coolingUntil: z.number().optional(),
  reason: z.string().optional(),
  changedAt: z.number().optional(),
  success: count,
  failure: count,
  byStatus: z.record(z.string(), z.number()).default({}),
  tokensIn: count,
  tokensOut: count,
  tokensCached: count,
  lastUsed: z.number().optional(),
  lastError: z.string().optional(),
});

const keyRow = z.object({ fingerprint: z.string(), record: z.string() });

/**
 * Key state in one SQLite file. saveKey/deleteKey only queue (latest per fingerprint wins)
 * so the request path never waits on disk; the queue is written in one transaction every
 * flushIntervalMs, on flush() and on close(). A lasting status change (retired, disabled,
 * reinstated) writes the queue at once, before saveKey returns: a crash after the answer
 * must not bring a dead key back. Admin writes (added keys, kv) are rare and go to disk at once.
 */
export class SqliteStore implements StateStore {
  readonly kind = 'sqlite' as const;
  readonly processes: SqliteProcesses;
  #claimsSinceSweep = 0;
  private state: StoreState = 'open';
  private readonly pending = new Map<string, PendingWrite>();
  /** The status each key has in the file or the queue, to see a lasting change coming. */
  private readonly statuses = new Map<string, KeyStatus>();
  private readonly counters = { flushes: 0, failures: 0 };
  private readonly lag = new WriteLag();
  private readonly timer: Interval;
  private readonly writeBatch: (batch: [string, PendingWrite][], now: number) => void;

  private constructor(
    private readonly db: Database.Database,
    private readonly log: StoreLog,
    private readonly clock: Clock,
    flushIntervalMs: number,
  ) {
    const upsert = db.prepare<[string, string, number]>(
      'INSERT INTO keys (fingerprint, record, updated_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT(fingerprint) DO UPDATE SET record = excluded.record, updated_at = excluded.updated_at',
    );
    const remove = db.prepare<[string]>('DELETE FROM keys WHERE fingerprint = ?');
    this.writeBatch = db.transaction((batch: [string, PendingWrite][], now: number) => {
      for (const [fingerprint, write] of batch) {
        switch (write.op) {
          case 'save':
            upsert.run(fingerprint, JSON.stringify(write.record), now);
            break;
          case 'delete':
            remove.run(fingerprint);
            break;
          default:
            assertNever(write);
        }
      }
    });
    this.timer = every(flushIntervalMs, () => this.flushPending());
    this.processes = new SqliteProcesses(db);
  }

  /** Opens (creating if needed) the database file with mode 0600 in WAL mode. */
  static open(options: SqliteStoreOptions): SqliteStore {
    // Create the file 0600 before SQLite does, so it is never readable by others, even briefly;
    // SQLite gives the -wal and -shm files the mode of the main file.
    closeSync(openSync(options.file, 'a', 0o600));
    const db = new Database(options.file, { timeout: BUSY_TIMEOUT_MS });
    try {
      // An existing file may have been created with a looser mode.
      chmodSync(options.file, 0o600);
      db.pragma('journal_mode = WAL');
      // With WAL, NORMAL survives a process crash; only a power loss can drop the last batch.
      db.pragma('synchronous = NORMAL');
      // A key removed through the admin API must leave the file, not linger in a freed page.
      db.pragma('secure_delete = ON');
      db.exec(SCHEMA);
      db.exec(PROCESSES_SCHEMA);
    } catch (err) {
      db.close();
      throw unreadableDatabase(options.file, err);
    }
    return new SqliteStore(db, options.log, options.clock, options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS);
  }

  /** For metrics and tests: queue depth, committed batches, failed batches. */
  stats(): { pending: number; flushes: number; failures: number } {
    return { pending: this.pending.size, ...this.counters };
  }

  async loadKeys(): Promise<KeyRecord[]> {
    this.assertOpen();
    const byKey = new Map<string, KeyRecord>();
    for (const row of this.db.prepare('SELECT fingerprint, record FROM keys ORDER BY fingerprint').all()) {
      const record = this.parseRow(row);
      if (record) byKey.set(record.fingerprint, record);
      if (record && !this.pending.has(record.fingerprint)) this.statuses.set(record.fingerprint, record.status);
    }
    // Queued writes are newer than the file: answer as if they were already written.
    for (const [fingerprint, write] of this.pending) {
      if (write.op === 'save') byKey.set(fingerprint, copyKeyRecord(write.record));
      else byKey.delete(fingerprint);
    }
    return [...byKey.values()].sort(byFingerprint);
  }

  saveKey(record: KeyRecord): void {
    const before = this.statuses.get(record.fingerprint);
    this.statuses.set(record.fingerprint, record.status);
    this.enqueue(record.fingerprint, { op: 'save', record });
    if (isLastingChange(before, record.status)) this.flushPending();
  }

  deleteKey(fingerprint: string): void {
    this.statuses.delete(fingerprint);
    this.enqueue(fingerprint, { op: 'delete' });
  }

  async loadAddedKeys(): Promise<string[]> {
    this.assertOpen();
    return this.db.prepare('SELECT secret FROM added_keys ORDER BY added_at, rowid').pluck().all().filter((s) => typeof s === 'string');
  }

  async addKey(secret: string): Promise<void> {
    // OR IGNORE keeps the first added_at, so a re-added key keeps its place in the order.
    this.write(() => this.db.prepare('INSERT OR IGNORE INTO added_keys (secret, added_at) VALUES (?, ?)').run(secret, this.clock.now()));
  }

  async removeAddedKey(secret: string): Promise<void> {
    this.write(() => this.db.prepare('DELETE FROM added_keys WHERE secret = ?').run(secret));
  }

  async getValue(name: string): Promise<string | undefined> {
    this.assertOpen();
    const value: unknown = this.db.prepare('SELECT value FROM kv WHERE name = ?').pluck().get(name);
    return typeof value === 'string' ? value : undefined;
  }

  async setValue(name: string, value: string): Promise<void> {
    this.write(() =>
      this.db.prepare('INSERT INTO kv (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value').run(name, value),
    );
  }

  /** Claims live in the kv table as `claim:<name>` = the epoch ms they last until. */
  async claim(name: string, until: number, now: number): Promise<boolean> {
    this.assertOpen();
    const sql = 'INSERT INTO kv (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value WHERE CAST(kv.value AS INTEGER) <= ?';
    // Claims are named per job instance, so expired ones are swept now and then rather than reused.
    if (++this.#claimsSinceSweep >= CLAIM_SWEEP_EVERY) {
      this.#claimsSinceSweep = 0;
      this.db.prepare("DELETE FROM kv WHERE name LIKE 'claim:%' AND CAST(value AS INTEGER) <= ?").run(now);
    }
    return this.db.prepare(sql).run(`claim:${name}`, String(until), now).changes === 1;
  }

  async flush(): Promise<void> {
    this.flushPending();
  }

  /** Stops the timer, writes the queue one last time and closes the file. Idempotent. */
  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.timer.stop();
    this.flushPending();
    if (this.pending.size > 0) this.log.error({ pending: this.pending.size }, 'state store closed with unwritten key records');
    this.state = 'closed';
    this.db.close();
  }

  private enqueue(fingerprint: string, write: PendingWrite): void {
    if (this.state === 'closed') {
      this.log.warn({ fingerprint }, 'state store is closed; key record dropped');
      return;
    }
    // Delete first so the Map's order is the order of the latest writes.
    this.pending.delete(fingerprint);
    this.pending.set(fingerprint, write);
    this.lag.queued(this.clock.now());
  }

  writeLagMs(now: number): number {
    return this.lag.ms(now);
  }

  /** Writes the whole queue in one transaction; on failure the queue is kept for the next try. */
  private flushPending(): void {
    if (this.state === 'closed' || this.pending.size === 0) return;
    const batch = [...this.pending];
    const takenAt = this.clock.now();
    try {
      this.writeBatch(batch, takenAt);
    } catch (err) {
      this.counters.failures++;
      // Records hold fingerprints and counters only, and SQLite errors carry no bound values.
      this.log.error({ err, pending: batch.length }, 'state store flush failed; will retry');
      return;
    }
    // Everything here is synchronous, so nothing was queued while the batch was written.
    this.pending.clear();
    this.lag.committed(false, takenAt);
    this.counters.flushes++;
  }

  /** A row that is not JSON, has the wrong shape or another key's fingerprint is skipped. */
  private parseRow(row: unknown): KeyRecord | undefined {
    const columns = keyRow.safeParse(row);
    const fingerprint = columns.success ? columns.data.fingerprint : undefined;
    const parsed = columns.success ? storedKeyRecord.safeParse(parseJson(columns.data.record)) : undefined;
    if (parsed?.success && parsed.data.fingerprint === fingerprint) return parsed.data;
    this.log.warn({ fingerprint }, 'skipping unreadable key record');
    return undefined;
  }

  private write(run: () => unknown): void {
    this.assertOpen();
    try {
      run();
    } catch (err) {
      // The message must not echo the statement's values (an added key is a secret).
      throw new GatewayError('internal', 'state store write failed', { cause: err });
    }
  }

  private assertOpen(): void {
    if (this.state === 'closed') throw new GatewayError('internal', 'state store is closed');
  }
}

/** SQLite's verdict on a file that is not a database (or a damaged one) → the one line that says what to do. */
function unreadableDatabase(file: string, err: unknown): unknown {
  const code = (err as { code?: unknown }).code;
  if (code !== 'SQLITE_NOTADB' && code !== 'SQLITE_CORRUPT') return err;
  return new StartupError(
    `${file} is not a readable SQLite database (${code}): move it aside (mv ${file} ${file}.broken) and start again; key state then starts empty, and deprecated_keys.txt keeps retired keys retired`,
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
