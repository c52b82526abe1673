import type Database from 'better-sqlite3';
import { byStart, parseBeat, type ProcessBeat, type ProcessRegister } from './processes.js';

/** Created with the state file's other tables (sqlite-store.ts). */
export const PROCESSES_SCHEMA = 'CREATE TABLE IF NOT EXISTS processes (id TEXT PRIMARY KEY, beat TEXT NOT NULL, seen_at INTEGER NOT NULL)';

/**
 * The register as a table of the state file: a beat (every few seconds per process) is one
 * small transaction of its own, apart from the batched key records.
 */
export class SqliteProcesses implements ProcessRegister {
  readonly #write: (beat: ProcessBeat, forgetBefore: number) => void;

  constructor(private readonly db: Database.Database) {
    const upsert = db.prepare<[string, string, number]>(
      'INSERT INTO processes (id, beat, seen_at) VALUES (?, ?, ?) ON CONFLICT(id) DO UPDATE SET beat = excluded.beat, seen_at = excluded.seen_at',
    );
    const forget = db.prepare<[number]>('DELETE FROM processes WHERE seen_at < ?');
    this.#write = db.transaction((beat: ProcessBeat, forgetBefore: number) => {
      upsert.run(beat.id, JSON.stringify(beat), beat.seenAt);
      forget.run(forgetBefore);
    });
  }

  async beat(beat: ProcessBeat, forgetBefore: number): Promise<void> {
    this.#write(beat, forgetBefore);
  }

  async seen(since: number): Promise<ProcessBeat[]> {
    const texts = this.db.prepare('SELECT beat FROM processes WHERE seen_at >= ?').pluck().all(since);
    return texts.flatMap((t) => (typeof t === 'string' ? (parseBeat(t) ?? []) : [])).sort(byStart);
  }

  async leave(id: string): Promise<void> {
    this.db.prepare('DELETE FROM processes WHERE id = ?').run(id);
  }
}
