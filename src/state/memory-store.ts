import type { KeyRecord, StateStore } from './store.js';
import { MemoryProcesses } from './memory-processes.js';

/**
 * A copy that shares nothing with the store's own object, for what loadKeys hands out (read
 * once, at start-up): records are read-only, but what a caller does with a loaded one stays
 * its own business.
 */
export function copyKeyRecord(record: KeyRecord): KeyRecord {
  return { ...record, byStatus: { ...record.byStatus } };
}

/** Orders records by fingerprint so every store answers loadKeys in the same order. */
export function byFingerprint(a: KeyRecord, b: KeyRecord): number {
  return a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0;
}

/** Claims held before expired ones are swept out. */
const CLAIM_SWEEP_SIZE = 1_000;

/** State for one process lifetime: nothing survives a restart. saveKey applies at once. */
export class MemoryStore implements StateStore {
  readonly kind = 'memory' as const;
  readonly processes = new MemoryProcesses();
  private readonly keys = new Map<string, KeyRecord>();
  // A Set keeps insertion order, so added keys come back in the order they were added.
  private readonly addedKeys = new Set<string>();
  private readonly values = new Map<string, string>();
  private readonly claims = new Map<string, number>();

  async loadKeys(): Promise<KeyRecord[]> {
    return [...this.keys.values()].map(copyKeyRecord).sort(byFingerprint);
  }

  saveKey(record: KeyRecord): void {
    this.keys.set(record.fingerprint, record);
  }

  deleteKey(fingerprint: string): void {
    this.keys.delete(fingerprint);
  }

  async loadAddedKeys(): Promise<string[]> {
    return [...this.addedKeys];
  }

  async addKey(secret: string): Promise<void> {
    this.addedKeys.add(secret);
  }

  async removeAddedKey(secret: string): Promise<void> {
    this.addedKeys.delete(secret);
  }

  async getValue(name: string): Promise<string | undefined> {
    return this.values.get(name);
  }

  async setValue(name: string, value: string): Promise<void> {
    this.values.set(name, value);
  }

  async claim(name: string, until: number, now: number): Promise<boolean> {
    if ((this.claims.get(name) ?? 0) > now) return false;
    // Claims are named per job instance, so expired ones are swept rather than reused.
    if (this.claims.size >= CLAIM_SWEEP_SIZE) for (const [n, u] of this.claims) if (u <= now) this.claims.delete(n);
    this.claims.set(name, until);
    return true;
  }

  /** Nothing is ever queued. */
  async flush(): Promise<void> {}

  async close(): Promise<void> {}
}
