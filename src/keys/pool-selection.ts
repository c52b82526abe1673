import type { Random } from '../runtime/clock.js';
import { pickExpiringFirst } from './allowance/decide.js';
import { SessionAffinity } from './affinity.js';
import { isUsable } from './health.js';
import type { KeyIndex, PoolKey } from './key-index.js';
import type { KeyPoolOptions } from './pool-types.js';
import { PROBE_GRACE_MS, SAMPLE_TRIES } from './pool-tuning.js';
import { nextInRotation, pickSimple, pickWeighted, sampleWeighted } from './select.js';

const orderOf = (k: PoolKey) => k.order;
const scoreOf = (k: PoolKey) => k.runtime.score;
const expiryOf = (k: PoolKey) => k.expiry;

/**
 * Which key a request gets: the rotation strategy, its cursor and the conversation → key
 * affinity, over the pool's index. It reads the keys' health and never changes it: what an
 * answer does to a key is the pool's (`KeyPool.#report`).
 */
export class KeySelection {
  #cursor = 0;
  readonly #affinity: SessionAffinity | undefined;

  constructor(
    private readonly index: KeyIndex,
    private readonly strategy: KeyPoolOptions['strategy'],
    private readonly random: Random,
    affinity: NonNullable<KeyPoolOptions['affinity']>,
  ) {
    this.#affinity = affinity.enabled ? new SessionAffinity(affinity.ttlMs, affinity.maxEntries) : undefined;
  }

  /** Keeps the cursor inside the pool after its keys changed; `removedOrder` is the place a removed key held. */
  keysChanged(removedOrder?: number): void {
    if (removedOrder !== undefined && removedOrder < this.#cursor) this.#cursor--;
    this.#cursor = this.index.size === 0 ? 0 : this.#cursor % this.index.size;
  }

  /** Marks `key` as lent to the conversation (its next request goes to the same key) and as on probation if it has not answered yet. */
  lend(key: PoolKey, sessionId: string | undefined, now: number): void {
    if (sessionId && this.#affinity) this.#affinity.set(sessionId, key.fingerprint, now);
    if (!key.runtime.verified && key.runtime.probingSince === undefined) key.runtime = { ...key.runtime, probingSince: now };
  }

  /** Whether `k` may be lent now (see `candidates`). */
  #isReady(k: PoolKey, now: number, exclude: ReadonlySet<string> | undefined): boolean {
    if (!isUsable(k.record, now) || exclude?.has(k.fingerprint)) return false;
    const { verified, probingSince } = k.runtime;
    return this.index.size === 1 || verified || probingSince === undefined || now - probingSince >= PROBE_GRACE_MS;
  }

  /**
   * The usual case without a pass over the pool: the conversation's key if it is ready, else
   * the strategy's pick over the keys in service, looking at a few of them. Undefined when
   * that finds none (every key busy, cooling or tried): `candidates` then tells why.
   */
  quickPick(now: number, session: string | undefined, exclude: ReadonlySet<string> | undefined): PoolKey | undefined {
    const isReady = (k: PoolKey) => this.#isReady(k, now, exclude);
    const affine = session ? this.#affinity?.get(session, now) : undefined;
    const sticky = affine === undefined ? undefined : this.index.byFingerprint(affine);
    if (sticky && isReady(sticky)) return sticky;
    // Expiring-first orders every ready key by its allowance: the full pass does it.
    if (this.strategy === 'expiring-first') return undefined;
    const keys = this.index.inService;
    if (this.strategy === 'simple') {
      const pick = nextInRotation(keys, this.index.servicePosition(this.#cursor), isReady);
      if (pick) this.#cursor = (pick.order + 1) % this.index.size;
      return pick;
    }
    return sampleWeighted(keys, isReady, scoreOf, this.random, SAMPLE_TRIES);
  }

  /**
   * One pass over the pool, when the quick pick found nothing: how many keys are usable now, and which
   * of them may be lent. Unverified keys already being tried by another request wait for
   * that answer, for a short while: a dead key answers 402/401 at once, a live one may take
   * long to finish. A single key is never taken out of service, so it is always ready.
   */
  candidates(now: number, exclude: ReadonlySet<string> | undefined): { usable: number; ready: PoolKey[] } {
    const ready: PoolKey[] = [];
    let usable = 0;
    for (const k of this.index.inService) {
      if (!isUsable(k.record, now) || exclude?.has(k.fingerprint)) continue;
      usable++;
      if (this.#isReady(k, now, exclude)) ready.push(k);
    }
    return { usable, ready };
  }

  /** The strategy's pick among `ready` (from `candidates`), the conversation's key first. */
  pick(ready: PoolKey[], session: string | undefined, now: number): PoolKey {
    const affine = session ? this.#affinity?.get(session, now) : undefined;
    const sticky = affine ? ready.find((k) => k.fingerprint === affine) : undefined;
    if (sticky) return sticky;
    if (this.strategy === 'simple') {
      const { pick, cursor } = pickSimple(ready, orderOf, this.#cursor, this.index.size);
      this.#cursor = cursor;
      return pick;
    }
    if (this.strategy === 'expiring-first') {
      return pickExpiringFirst(ready, expiryOf, now, (cs) => pickWeighted(cs, scoreOf, this.random()));
    }
    return pickWeighted(ready, scoreOf, this.random());
  }
}
