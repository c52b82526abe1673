import { GatewayError } from '../errors.js';
import type { Clock, Random } from '../runtime/clock.js';
import { emptyKeyRecord, type KeyRecord, type StateStore } from '../state/store.js';
import { SessionAffinity } from './affinity.js';
import { classifyStatus } from './classify.js';
import {
  bearer,
  fingerprint as fingerprintOf,
  maskSecret,
  type AttemptOutcome,
  type AttemptVerdict,
  type CredentialLease,
  type CredentialRequest,
  type CredentialSource,
  type UsageReport,
} from './credential.js';
import { applyVerdict, DEFAULT_HEALTH_POLICY, freshRuntime, isUsable, type HealthPolicy, type KeyRuntime } from './health.js';
import { maskSecrets } from './mask-secrets.js';
import { ALLOWANCE_REST_REASON, allowanceExpiry, exhaustedUntil, pickExpiringFirst, recordForAllowance } from './allowance/decide.js';
import { budgetSpent, tokenBudget, type TokenBudget } from './allowance/budget.js';
import type { KeyAllowance } from './allowance/types.js';
import { noUsableKeyError } from './no-key-error.js';
import { pickSimple, pickWeighted } from './select.js';
import { UpstreamSuspicion } from './upstream-suspicion.js';

interface PoolKey {
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

const orderOf = (k: PoolKey) => k.order;
const scoreOf = (k: PoolKey) => k.runtime.score;
const expiryOf = (k: PoolKey) => k.expiry;

/** A key as the status page and the admin API show it: masked, never the secret. */
export interface KeyView extends KeyRecord {
  masked: string;
  /** Smoothed success rate used by weighted selection. */
  score: number;
}

export interface PoolLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface KeyPoolOptions {
  /** Where the keys come from, for the start-up line (e.g. "FACTORY_API_KEY + factory_keys.txt"). */
  origin: string;
  strategy: 'weighted' | 'simple' | 'expiring-first';
  removeOn402: boolean;
  store: StateStore;
  clock: Clock;
  random: Random;
  log: PoolLogger;
  policy?: HealthPolicy;
  /** Session affinity: on by default, one hour, 10,000 conversations. */
  affinity?: { enabled: boolean; ttlMs: number; maxEntries: number };
  /** Called once when a key is retired (the deprecated_keys.txt writer). */
  onRetire?: (secret: string, record: KeyRecord) => void;
  /** Called when an admin puts a key back into service (it leaves deprecated_keys.txt). */
  onReinstate?: (secret: string) => void;
  /** Called when a key answers 402 (its allowance is then worth checking again). */
  onQuotaAnswer?: (fingerprint: string) => void;
}

/** How long a request waits for other requests' first answers from unverified keys. */
const PROBE_WAIT_MS = 60_000;
/** After this long without a verdict, an unverified key is lent to other requests too. */
const PROBE_GRACE_MS = 3_000;
const PROBE_RECHECK_MS = 500;

/** Window within which the same failure on every key is blamed on the upstream. */
const SUSPICION_WINDOW_MS = 30_000;

/**
 * The key pool: which key a request gets, what each answer does to the key that got it,
 * and the keys' health, persisted through the store. Each lease reports against its own
 * key, so concurrent requests never blame the wrong one.
 */
function withUsage(r: KeyRecord, usage: UsageReport): KeyRecord {
  return { ...r, tokensIn: r.tokensIn + usage.inputTokens, tokensOut: r.tokensOut + usage.outputTokens, tokensCached: r.tokensCached + usage.cachedInputTokens };
}

export class KeyPool implements CredentialSource {
  #keys: PoolKey[] = [];
  #byFingerprint = new Map<string, PoolKey>();
  /** Records loaded from the store, including keys not (yet) in the sources. */
  readonly #stored = new Map<string, KeyRecord>();
  #cursor = 0;
  readonly #policy: HealthPolicy;
  readonly #affinity: SessionAffinity | undefined;
  readonly #suspicion = new UpstreamSuspicion(SUSPICION_WINDOW_MS);
  #waiters: Array<() => void> = [];

  private constructor(private readonly options: KeyPoolOptions) {
    this.#policy = options.policy ?? DEFAULT_HEALTH_POLICY;
    const affinity = options.affinity ?? { enabled: true, ttlMs: 3_600_000, maxEntries: 10_000 };
    this.#affinity = affinity.enabled ? new SessionAffinity(affinity.ttlMs, affinity.maxEntries) : undefined;
  }

  static async create(secrets: readonly string[], options: KeyPoolOptions): Promise<KeyPool> {
    const pool = new KeyPool(options);
    for (const record of await options.store.loadKeys()) pool.#stored.set(record.fingerprint, record);
    pool.setKeys(secrets);
    options.store.onRemoteChange?.((record) => pool.#applyRemote(record));
    return pool;
  }

  /** Another process sharing the state changed a key's status (WORKERS): the newer change wins. */
  #applyRemote(remote: KeyRecord): void {
    const fields = { status: remote.status, coolingUntil: remote.coolingUntil, reason: remote.reason, changedAt: remote.changedAt };
    const key = this.#byFingerprint.get(remote.fingerprint);
    if (!key) {
      this.#stored.set(remote.fingerprint, { ...(this.#stored.get(remote.fingerprint) ?? emptyKeyRecord(remote.fingerprint)), ...fields });
      return;
    }
    if ((remote.changedAt ?? 0) <= (key.record.changedAt ?? 0)) return;
    key.record = { ...key.record, ...fields };
    if (remote.status === 'active') key.runtime = { ...key.runtime, verified: false, consecutiveFailures: 0, consecutiveRateLimits: 0 };
  }

  /** Replaces the key list (hot reload): known keys keep their state, new ones join, missing ones leave. */
  setKeys(secrets: readonly string[]): { added: number; removed: number } {
    const unique = [...new Set(secrets.map((s) => s.trim()).filter(Boolean))];
    const next = unique.map((secret, order): PoolKey => {
      const fp = fingerprintOf(secret);
      const existing = this.#byFingerprint.get(fp);
      if (existing) return { ...existing, order };
      return { secret, fingerprint: fp, order, record: this.#stored.get(fp) ?? emptyKeyRecord(fp), runtime: freshRuntime() };
    });
    const added = next.filter((k) => !this.#byFingerprint.has(k.fingerprint)).length;
    const removed = this.#keys.filter((k) => !next.some((n) => n.fingerprint === k.fingerprint)).length;
    this.#keys = next;
    this.#byFingerprint = new Map(next.map((k) => [k.fingerprint, k]));
    this.#cursor = next.length === 0 ? 0 : this.#cursor % next.length;
    return { added, removed };
  }

  describe(): string {
    const retired = this.#keys.filter((k) => k.record.status === 'retired').length;
    return `credential source: ${this.options.origin} (${this.#keys.length} keys, ${retired} retired, ${this.options.strategy} rotation)`;
  }

  get size(): number {
    return this.#keys.length;
  }

  async acquire(req: CredentialRequest): Promise<CredentialLease> {
    const started = this.options.clock.now();
    for (;;) {
      const now = this.options.clock.now();
      const { usable, ready } = this.#candidates(now, req.exclude);
      if (usable === 0) {
        if (req.exclude && req.exclude.size > 0) throw new GatewayError('upstream_unavailable', 'Every usable Factory key was tried');
        throw noUsableKeyError(this.#keys.map((k) => k.record), now);
      }
      if (ready.length > 0) {
        const key = this.#pick(ready, req.sessionId, now);
        if (req.sessionId && this.#affinity) this.#affinity.set(req.sessionId, key.fingerprint, now);
        if (!key.runtime.verified && key.runtime.probingSince === undefined) key.runtime = { ...key.runtime, probingSince: now };
        return this.#lease(key);
      }
      if (now - started > PROBE_WAIT_MS) throw new GatewayError('upstream_unavailable', 'No Factory key answered in time', { retryAfter: 5 });
      await this.#nextReport();
    }
  }

  /**
   * One pass over the pool (it runs per request): how many keys are usable now, and which
   * of them may be lent. Unverified keys already being tried by another request wait for
   * that answer, for a short while: a dead key answers 402/401 at once, a live one may take
   * long to finish. A single key is never taken out of service, so it is always ready.
   */
  #candidates(now: number, exclude: ReadonlySet<string> | undefined): { usable: number; ready: PoolKey[] } {
    const ready: PoolKey[] = [];
    let usable = 0;
    for (const k of this.#keys) {
      if (!isUsable(k.record, now) || exclude?.has(k.fingerprint)) continue;
      usable++;
      const { verified, probingSince } = k.runtime;
      if (this.#keys.length === 1 || verified || probingSince === undefined || now - probingSince >= PROBE_GRACE_MS) ready.push(k);
    }
    return { usable, ready };
  }

  /** Resolves at the next reported outcome (or after a while, to re-check cooldowns). */
  #nextReport(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      void this.options.clock.sleep(PROBE_RECHECK_MS).then(resolve);
    });
  }

  #pick(ready: PoolKey[], session: string | undefined, now: number): PoolKey {
    const affine = session ? this.#affinity?.get(session, now) : undefined;
    const sticky = affine ? ready.find((k) => k.fingerprint === affine) : undefined;
    if (sticky) return sticky;
    if (this.options.strategy === 'simple') {
      const { pick, cursor } = pickSimple(ready, orderOf, this.#cursor, this.#keys.length);
      this.#cursor = cursor;
      return pick;
    }
    if (this.options.strategy === 'expiring-first') {
      return pickExpiringFirst(ready, expiryOf, now, (cs) => pickWeighted(cs, scoreOf, this.options.random()));
    }
    return pickWeighted(ready, scoreOf, this.options.random());
  }

  #lease(key: PoolKey): CredentialLease {
    let reported = false;
    return {
      authorization: bearer(key.secret),
      fingerprint: key.fingerprint,
      report: (outcome) => {
        if (reported) return { failover: false };
        reported = true;
        return this.#report(key.fingerprint, outcome);
      },
      usage: (usage) => this.#usage(key.fingerprint, usage),
    };
  }

  #report(fp: string, reported: AttemptOutcome): AttemptVerdict {
    const now = this.options.clock.now();
    // The message becomes the key's last error (status page, store, retired-keys file):
    // masked here too, whoever produced it, in case the upstream echoed a key.
    const outcome = reported.message ? { ...reported, message: maskSecrets(reported.message, this.secrets()) } : reported;
    const { verdict, failover } = classifyStatus(outcome.status, this.options.removeOn402);
    const key = this.#byFingerprint.get(fp);
    if (this.#waiters.length > 0) {
      const waiters = this.#waiters;
      this.#waiters = [];
      queueMicrotask(() => waiters.forEach((wake) => wake()));
    }
    if (!key) return { failover };
    if (outcome.status === 402) this.options.onQuotaAnswer?.(fp);
    key.runtime = { ...key.runtime, probingSince: undefined };
    if (verdict === 'success') this.#suspicion.clear(fp);
    if (this.#keys.length === 1 && verdict !== 'success' && verdict !== 'client_error') {
      // A single key has nothing to fail over to: taking it out of service would only turn
      // the upstream's own answer (status, message, Retry-After) into a 503 from us, and keep
      // doing so after the condition passed. Its failures are counted and passed through.
      this.#update(key, applyVerdict(key.record, key.runtime, 'client_error', outcome, now, this.#policy));
      return { failover: false };
    }
    if ((verdict === 'cooldown' && outcome.status === 429) || verdict === 'transient') {
      const inService = this.#keys.filter((k) => k.record.status !== 'retired' && k.record.status !== 'disabled').map((k) => k.fingerprint);
      if (this.#suspicion.record(fp, outcome.status, now, inService)) {
        this.#forgiveAll(now);
        this.#update(key, applyVerdict(key.record, key.runtime, 'client_error', outcome, now, this.#policy));
        this.options.log.warn({ status: outcome.status, keys: inService.length }, 'every key failed the same way: blaming the upstream, not the keys');
        return { failover: false };
      }
    }
    const before = key.record.status;
    const next = applyVerdict(key.record, key.runtime, verdict, outcome, now, this.#policy);
    // One update (one store write) for an answer and its tokens.
    this.#update(key, outcome.usage ? { record: withUsage(next.record, outcome.usage), runtime: next.runtime } : next);
    if (outcome.usage) this.#spent(key);
    if (key.record.status !== before) {
      this.options.log.warn({ key: fp, status: key.record.status, reason: key.record.reason }, 'key status changed');
      if (key.record.status === 'retired') this.options.onRetire?.(key.secret, key.record);
    }
    return { failover };
  }

  /** Undoes the recent cooldowns that an upstream-wide failure caused. */
  #forgiveAll(now: number): void {
    for (const k of this.#keys) {
      const recent = (k.record.changedAt ?? 0) >= now - SUSPICION_WINDOW_MS;
      if (k.record.status === 'cooling' && recent && k.record.reason !== ALLOWANCE_REST_REASON) {
        this.#update(k, { record: { ...k.record, status: 'active', coolingUntil: undefined }, runtime: { ...k.runtime, consecutiveFailures: 0, consecutiveRateLimits: 0 } });
      }
    }
  }

  #usage(fp: string, usage: UsageReport): void {
    const key = this.#byFingerprint.get(fp);
    if (!key) return;
    this.#update(key, { record: withUsage(key.record, usage), runtime: key.runtime });
    this.#spent(key);
  }

  #update(key: PoolKey, next: { record: KeyRecord; runtime: KeyRuntime }): void {
    key.record = next.record;
    key.runtime = next.runtime;
    this.options.store.saveKey(next.record);
  }

  /**
   * A key's latest allowance check: a spent window rests the key until it resets (a single
   * key is never rested: it has nothing to fail over to), and expiring-first orders by it.
   */
  applyAllowance(fp: string, allowance: KeyAllowance): void {
    const key = this.#byFingerprint.get(fp);
    if (!key) return;
    const now = this.options.clock.now();
    key.expiry = allowanceExpiry(allowance, now);
    key.budget = tokenBudget(allowance, key.record, now);
    this.#rest(key, this.#keys.length > 1 ? exhaustedUntil(allowance, now) : undefined, now);
  }

  #rest(key: PoolKey, restUntil: number | undefined, now: number): void {
    const record = recordForAllowance(key.record, restUntil, now);
    if (!record) return;
    this.#update(key, { record, runtime: key.runtime });
    this.options.log.info({ key: key.fingerprint, status: record.status, until: record.coolingUntil }, 'key status changed by its allowance');
  }

  /**
   * After an answer's tokens: a key whose last checked allowance they used up rests until its
   * window resets, before Factory refuses it, and is checked again to confirm.
   */
  #spent(key: PoolKey): void {
    const until = key.budget && this.#keys.length > 1 ? budgetSpent(key.budget, key.record, this.options.clock.now()) : undefined;
    if (until === undefined) return;
    key.budget = undefined;
    this.#rest(key, until, this.options.clock.now());
    this.options.onQuotaAnswer?.(key.fingerprint);
  }

  /** Every key, masked, with its state and counters. */
  snapshot(): KeyView[] {
    return this.#keys.map((k) => ({ ...k.record, masked: maskSecret(k.secret), score: k.runtime.score }));
  }

  /** Puts a retired, disabled or cooling key back into service. */
  reinstate(fp: string): boolean {
    const key = this.#byFingerprint.get(fp);
    if (!key) return false;
    const record: KeyRecord = { ...key.record, status: 'active', coolingUntil: undefined, reason: undefined, changedAt: this.options.clock.now() };
    this.#update(key, { record, runtime: freshRuntime() });
    this.options.onReinstate?.(key.secret);
    return true;
  }

  /** Zeroes the counters of one key, or of all keys; statuses are kept. */
  resetCounters(fp?: string): number {
    const keys = fp ? this.#keys.filter((k) => k.fingerprint === fp) : this.#keys;
    for (const k of keys) {
      const fresh = emptyKeyRecord(k.fingerprint);
      this.#update(k, { record: { ...k.record, ...fresh, status: k.record.status, coolingUntil: k.record.coolingUntil, reason: k.record.reason, changedAt: k.record.changedAt }, runtime: k.runtime });
    }
    return keys.length;
  }

  /** Every key in the pool, for masking text that might echo one; never shown. */
  secrets(): string[] {
    return this.#keys.map((k) => k.secret);
  }

  /** Each key's fingerprint and Authorization value, for the allowance checks. */
  authorizations(): Array<{ fingerprint: string; authorization: string }> {
    return this.#keys.map((k) => ({ fingerprint: k.fingerprint, authorization: bearer(k.secret) }));
  }

  secretOf(fp: string): string | undefined {
    return this.#byFingerprint.get(fp)?.secret;
  }
}
