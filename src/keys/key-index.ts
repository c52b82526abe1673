import type { TokenBudget } from './allowance/budget.js';
import type { KeyRecord } from '../state/store.js';
import type { KeyRuntime } from './health.js';

/** One key of the pool with its health; `order` is its position in the pool. */
export interface PoolKey {
  secret: string;
  fingerprint: string;
  order: number;
  record: KeyRecord;
  runtime: KeyRuntime;
  /** When the key's unspent allowance is soonest lost (expiring-first), from its last allowance check. */
  expiry?: number;
  /** Tokens the last check left the key, counted down by its answers until the next check. */
  budget?: TokenBudget;
}

/**
 * Whether a key can be given out again without an admin: retired and disabled keys cannot.
 * A rest that ends by itself (cooling) keeps the key in service; the per-request check
 * (`isUsable`) filters it until its time is up.
 */
export function inService(record: KeyRecord): boolean {
  return record.status !== 'retired' && record.status !== 'disabled';
}

/**
 * The pool's keys in pool order, looked up by fingerprint and by secret, and the subset in
 * service, kept in pool order as keys join, leave or change status. Every change costs at
 * most one pass over the keys and no hashing of known keys, so a reload of n keys is O(n)
 * and a request never has to scan the retired ones.
 */
export class KeyIndex {
  #all: PoolKey[] = [];
  #inService: PoolKey[] = [];
  #byFingerprint = new Map<string, PoolKey>();
  #bySecret = new Map<string, PoolKey>();
  #version = 0;

  /** Changes whenever a key joins or leaves, so a plan made across yields can tell it is stale. */
  get version(): number {
    return this.#version;
  }

  get all(): readonly PoolKey[] {
    return this.#all;
  }

  /** Keys not retired or disabled, in pool order. */
  get inService(): readonly PoolKey[] {
    return this.#inService;
  }

  get size(): number {
    return this.#all.length;
  }

  byFingerprint(fp: string): PoolKey | undefined {
    return this.#byFingerprint.get(fp);
  }

  bySecret(secret: string): PoolKey | undefined {
    return this.#bySecret.get(secret);
  }

  /**
   * Replaces every key at once (a reload): `keys` carry their new orders 0..n-1, `kept` are
   * the keys that stay (the same objects), `joined` the new ones; a caller that has not
   * sorted them (a KeyPlan does) leaves both out. The lookups are edited, not rebuilt: only
   * keys that joined or left touch them.
   */
  replace(keys: PoolKey[], kept?: ReadonlySet<PoolKey>, joined?: readonly PoolKey[]): void {
    if (!kept || !joined) return this.replace(keys, ...this.#sort(keys));
    this.#version++;
    for (const k of this.#all) {
      if (kept.has(k)) continue;
      if (this.#byFingerprint.get(k.fingerprint) === k) this.#byFingerprint.delete(k.fingerprint);
      if (this.#bySecret.get(k.secret) === k) this.#bySecret.delete(k.secret);
    }
    for (const k of joined) {
      this.#byFingerprint.set(k.fingerprint, k);
      this.#bySecret.set(k.secret, k);
    }
    this.#all = keys;
    this.#inService = keys.filter((k) => inService(k.record));
  }

  #sort(keys: readonly PoolKey[]): [Set<PoolKey>, PoolKey[]] {
    const kept = new Set<PoolKey>();
    const joined: PoolKey[] = [];
    for (const k of keys) {
      if (this.#byFingerprint.get(k.fingerprint) === k) kept.add(k);
      else joined.push(k);
    }
    return [kept, joined];
  }

  /** Appends one key at the end of the pool order. */
  add(key: PoolKey): void {
    this.#version++;
    key.order = this.#all.length;
    this.#all.push(key);
    this.#byFingerprint.set(key.fingerprint, key);
    this.#bySecret.set(key.secret, key);
    if (inService(key.record)) this.#inService.push(key);
  }

  /** Takes one key out; the keys after it move up one place. */
  remove(fp: string): PoolKey | undefined {
    const key = this.#byFingerprint.get(fp);
    if (!key) return undefined;
    this.#version++;
    const at = this.servicePosition(key.order);
    if (this.#inService[at] === key) this.#inService.splice(at, 1);
    this.#all.splice(key.order, 1);
    for (let i = key.order; i < this.#all.length; i++) this.#all[i]!.order = i;
    this.#byFingerprint.delete(fp);
    this.#bySecret.delete(key.secret);
    return key;
  }

  /** Keeps the in-service list true after `key.record` changed from `before`. */
  recordChanged(key: PoolKey, before: KeyRecord): void {
    const was = inService(before);
    const is = inService(key.record);
    if (was === is || this.#byFingerprint.get(key.fingerprint) !== key) return;
    const at = this.servicePosition(key.order);
    if (is) this.#inService.splice(at, 0, key);
    else if (this.#inService[at] === key) this.#inService.splice(at, 1);
  }

  /** Where a key of pool position `order` is, or belongs, in the in-service list (binary search). */
  servicePosition(order: number): number {
    let lo = 0;
    let hi = this.#inService.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#inService[mid]!.order < order) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
