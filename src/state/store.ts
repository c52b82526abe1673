/**
 * Key health, retirements and counters live behind this one interface: in memory, in an
 * embedded SQLite file (default), or in Redis for several replicas. The key pool never
 * knows which one it has. Keys are identified by fingerprint; the store never needs the
 * secret itself except for keys added through the admin API.
 */
import type { ProcessRegister } from './processes.js';

/**
 * Named values under this prefix are results shared between processes (a key's allowance),
 * not key settings: writing one makes no other process reload its keys.
 */
export const SHARED_RESULT_PREFIX = 'result:';

export function isSharedResult(name: string): boolean {
  return name.startsWith(SHARED_RESULT_PREFIX);
}

export type KeyStatus = 'active' | 'cooling' | 'disabled' | 'retired';

/**
 * A key's persisted state. Read-only once made: the pool replaces a key's record rather than
 * editing it, so a store may hold the very object it was given until it writes it (no copy
 * per answer).
 */
export interface KeyRecord {
  readonly fingerprint: string;
  readonly status: KeyStatus;
  /** Epoch ms until which a cooling key rests. */
  readonly coolingUntil?: number;
  /** Why the key is cooling, disabled or retired (e.g. "402 insufficient balance"). */
  readonly reason?: string;
  /** Epoch ms of the last status change (the retirement time for retired keys). */
  readonly changedAt?: number;
  readonly success: number;
  readonly failure: number;
  /** Answers counted by HTTP status; "0" = no answer (connection error, timeout). */
  readonly byStatus: Readonly<Record<string, number>>;
  readonly tokensIn: number;
  readonly tokensOut: number;
  readonly tokensCached: number;
  /** Epoch ms of the last attempt made with the key. */
  readonly lastUsed?: number;
  readonly lastError?: string;
}

export interface StateStore {
  readonly kind: 'memory' | 'sqlite' | 'redis' | 'cluster';
  /** The gateway processes sharing this state, by their heartbeats. */
  readonly processes: ProcessRegister;
  loadKeys(): Promise<KeyRecord[]>;
  /**
   * Queues the latest record of a key. Counters are batched off the hot path: a later call
   * for the same fingerprint replaces an unwritten earlier one. A lasting status change
   * (`isLastingChange`: into or out of retired or disabled) is not left in the queue: SQLite
   * commits it before saveKey returns, Redis sends it at once (and replays it after an
   * outage), so a crash right after the answer that caused it cannot bring the key back.
   * Never throws. The record is kept as given (records are read-only), not copied.
   */
  saveKey(record: KeyRecord): void;
  deleteKey(fingerprint: string): void;
  /** Secrets added through the admin API (they must survive restarts). */
  loadAddedKeys(): Promise<string[]>;
  addKey(secret: string): Promise<void>;
  removeAddedKey(secret: string): Promise<void>;
  /** Small named values (e.g. the rotated refresh token). */
  getValue(name: string): Promise<string | undefined>;
  setValue(name: string, value: string): Promise<void>;
  /**
   * Takes the named lease until `until` (epoch ms) if nobody holds it: true when this caller
   * got it. Replicas sharing the store use it so that one of them does a periodic job (the
   * allowance check of one key in one interval). A store without it leaves every caller the job.
   */
  claim?(name: string, until: number, now: number): Promise<boolean>;
  /**
   * Status changes made by other processes sharing this state (WORKERS), pushed as they
   * happen. Stores of one process never call the listener.
   */
  onRemoteChange?(listener: (record: KeyRecord) => void): void;
  /**
   * Another process sharing this state changed the key sources (keys added or removed
   * through the admin API): the listener reloads the pool. Stores of one process never call it.
   */
  onReload?(listener: () => void): void;
  /**
   * Another process sharing this state wrote a named value, pushed with the value itself so
   * the listener can apply it at once (WORKERS: before the primary hands out a later
   * connection). Optional; `onReload` is still called.
   */
  onValue?(listener: (name: string, value: string) => void): void;
  /** Writes everything queued. */
  flush(): Promise<void>;
  /** How long the oldest queued write has waited uncommitted, in ms (0: none). Stores that write at once have none. */
  writeLagMs?(now: number): number;
  /**
   * Whether the store can be reached now, for /readyz. Optional (added for Redis): a store
   * without it is always healthy.
   */
  health?(): StoreHealth;
  close(): Promise<void>;
}

export interface StoreHealth {
  /** `degraded`: the shared store is unreachable; the gateway serves from what it holds and catches up later. */
  state: 'ok' | 'degraded';
  /** Epoch ms since when the store has been in this state. */
  since?: number;
}

const LASTING: ReadonlySet<KeyStatus> = new Set(['retired', 'disabled']);

/**
 * A change that must survive a crash: a key retired or disabled (it would be spent again
 * after a restart) or put back into service by an admin. Cooling comes and goes on its own
 * and is batched with the counters.
 */
export function isLastingChange(before: KeyStatus | undefined, after: KeyStatus): boolean {
  return (before ?? 'active') !== after && (LASTING.has(before ?? 'active') || LASTING.has(after));
}

/** A record while it is being built (read from storage, or merged from several counts). */
export type KeyRecordDraft = { -readonly [K in keyof KeyRecord]: KeyRecord[K] } & { byStatus: Record<string, number> };

export function emptyKeyRecord(fingerprint: string): KeyRecordDraft {
  return { fingerprint, status: 'active', success: 0, failure: 0, byStatus: {}, tokensIn: 0, tokensOut: 0, tokensCached: 0 };
}
