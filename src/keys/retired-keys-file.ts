import { appendFileSync, chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { emptyKeyRecord, type KeyRecord, type StateStore } from '../state/store.js';
import { fingerprint } from './credential.js';

/** The file's name in DATA_DIR, as droid2api v2 named it. */
export const RETIRED_KEYS_FILE = 'deprecated_keys.txt';

export interface RetiredEntry {
  /** Epoch ms of the retirement, when the line says it. */
  at: number | undefined;
  reason: string | undefined;
}

interface FileLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

// `<key> # Deprecated at <ISO time> (<reason>)`; the time and reason are optional.
const LINE = /^([^\s#]+)\s*(?:#\s*Deprecated at (\S+)(?:\s+\((.*)\))?)?/;

/** One line per key, first line of a key wins; blank and comment-only lines are skipped. */
export function parseRetiredKeys(text: string): Map<string, RetiredEntry> {
  const out = new Map<string, RetiredEntry>();
  for (const line of text.split(/\r?\n/)) {
    const m = LINE.exec(line.trim());
    if (!m || out.has(m[1]!)) continue;
    const at = m[2] === undefined ? undefined : Date.parse(m[2]);
    out.set(m[1]!, { at: at === undefined || Number.isNaN(at) ? undefined : at, reason: m[3] });
  }
  return out;
}

function lineOf(secret: string, entry: RetiredEntry): string {
  const at = entry.at === undefined ? '' : ` # Deprecated at ${new Date(entry.at).toISOString()}`;
  return `${secret}${at}${entry.reason === undefined || at === '' ? '' : ` (${entry.reason})`}\n`;
}

/**
 * deprecated_keys.txt in the data directory (mode 0600: it holds keys), as droid2api v2 kept
 * it: one line per retired key. It is read back at start (a key listed there stays retired
 * even if the store lost it), holds each key once, and loses a key's line when an admin
 * reinstates it. Writes are synchronous: they are rare, and two of them must not interleave.
 */
export class RetiredKeysFile {
  constructor(
    readonly file: string,
    private readonly log: FileLog,
  ) {}

  /** The listed keys; a file with a key on several lines is rewritten with one line each. */
  read(): Map<string, RetiredEntry> {
    if (!existsSync(this.file)) return new Map();
    const text = readFileSync(this.file, 'utf8');
    const entries = parseRetiredKeys(text);
    const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').length;
    if (lines > entries.size) this.#rewrite(entries);
    return entries;
  }

  /** Lists a retired key, unless it is already listed. */
  add(secret: string, record: KeyRecord): void {
    try {
      if (this.read().has(secret)) return;
      appendFileSync(this.file, lineOf(secret, { at: record.changedAt, reason: record.reason }), { mode: 0o600 });
      chmodSync(this.file, 0o600);
    } catch (err) {
      this.log.error({ err: (err as Error).message }, `could not append to ${RETIRED_KEYS_FILE}`);
    }
  }

  /** Forgets a key (reinstated by an admin). */
  remove(secret: string): void {
    try {
      const entries = this.read();
      if (entries.delete(secret)) this.#rewrite(entries);
    } catch (err) {
      this.log.error({ err: (err as Error).message }, `could not rewrite ${RETIRED_KEYS_FILE}`);
    }
  }

  #rewrite(entries: Map<string, RetiredEntry>): void {
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, [...entries].map(([secret, entry]) => lineOf(secret, entry)).join(''), { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

/**
 * Retires the listed keys the store does not know as retired, unless the store holds a newer
 * status change (an admin reinstated the key after the line was written). Keys not in the
 * pool's list are left alone.
 */
export async function importRetiredKeys(listed: Map<string, RetiredEntry>, secrets: readonly string[], store: StateStore, now: number): Promise<number> {
  if (listed.size === 0) return 0;
  const stored = new Map((await store.loadKeys()).map((r) => [r.fingerprint, r]));
  let imported = 0;
  for (const secret of secrets) {
    const entry = listed.get(secret);
    if (!entry) continue;
    const fp = fingerprint(secret);
    const record = stored.get(fp) ?? emptyKeyRecord(fp);
    const at = entry.at ?? 0;
    if (record.status === 'retired' || (record.changedAt ?? -1) > at) continue;
    store.saveKey({ ...record, status: 'retired', reason: entry.reason ?? `listed in ${RETIRED_KEYS_FILE}`, changedAt: entry.at ?? now });
    imported++;
  }
  return imported;
}
