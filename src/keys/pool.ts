import { GatewayError } from '../errors.js';
import { emptyKeyRecord, type KeyRecord } from '../state/store.js';
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
import { applyVerdict, DEFAULT_HEALTH_POLICY, freshRuntime, type HealthPolicy, type KeyRuntime } from './health.js';
import { maskSecrets } from './mask-secrets.js';
import { ALLOWANCE_REST_REASON, allowanceExpiry, exhaustedUntil, recordForAllowance } from './allowance/decide.js';
import { budgetSpent, tokenBudget } from './allowance/budget.js';
import type { KeyAllowance } from './allowance/types.js';
import { KeyIndex, type PoolKey } from './key-index.js';
import { KeyPlan } from './key-plan.js';
import { noUsableKeyError } from './no-key-error.js';
import { KeySelection } from './pool-selection.js';
import { UpstreamSuspicion } from './upstream-suspicion.js';
import type { KeyPoolOptions, KeyView } from './pool-types.js';
import { PROBE_RECHECK_MS, PROBE_WAIT_MS, RELOAD_SLICE, SUSPICION_WINDOW_MS } from './pool-tuning.js';

const viewOf = (k: PoolKey): KeyView => ({ ...k.record, masked: maskSecret(k.secret), score: k.runtime.score });

export type { KeyPoolOptions, KeyView, PoolLogger } from './pool-types.js';

function withUsage(r: KeyRecord, usage: UsageReport): KeyRecord {
  return { ...r, tokensIn: r.tokensIn + usage.inputTokens, tokensOut: r.tokensOut + usage.outputTokens, tokensCached: r.tokensCached + usage.cachedInputTokens };
}

/**
 * The key pool: lends keys (which one is `KeySelection`'s choice), records what each answer does to the key that got it,
 * and the keys' health, persisted through the store. Each lease reports against its own
 * key, so concurrent requests never blame the wrong one.
 */
export class KeyPool implements CredentialSource {
  readonly #index = new KeyIndex();
  /** Records loaded from the store, including keys not (yet) in the sources. */
  readonly #stored = new Map<string, KeyRecord>();
  readonly #selection: KeySelection;
  readonly #policy: HealthPolicy;
  readonly #suspicion = new UpstreamSuspicion(SUSPICION_WINDOW_MS);
  #waiters: Array<() => void> = [];

  private constructor(private readonly options: KeyPoolOptions) {
    this.#policy = options.policy ?? DEFAULT_HEALTH_POLICY;
    const affinity = options.affinity ?? { enabled: true, ttlMs: 3_600_000, maxEntries: 10_000 };
    this.#selection = new KeySelection(this.#index, options.strategy, options.random, affinity);
  }

  static async create(secrets: readonly string[], options: KeyPoolOptions, fingerprints?: ReadonlyMap<string, string>): Promise<KeyPool> {
    const pool = new KeyPool(options);
    for (const record of await options.store.loadKeys()) pool.#stored.set(record.fingerprint, record);
    pool.setKeys(secrets, fingerprints);
    options.store.onRemoteChange?.((record) => pool.#applyRemote(record));
    return pool;
  }

  /** Another process sharing the state changed a key's status (WORKERS): the newer change wins. */
  #applyRemote(remote: KeyRecord): void {
    const fields = { status: remote.status, coolingUntil: remote.coolingUntil, reason: remote.reason, changedAt: remote.changedAt };
    const key = this.#index.byFingerprint(remote.fingerprint);
    if (!key) {
      this.#stored.set(remote.fingerprint, { ...(this.#stored.get(remote.fingerprint) ?? emptyKeyRecord(remote.fingerprint)), ...fields });
      return;
    }
    if ((remote.changedAt ?? 0) <= (key.record.changedAt ?? 0)) return;
    const before = key.record;
    key.record = { ...key.record, ...fields };
    this.#index.recordChanged(key, before);
    if (remote.status === 'active') key.runtime = { ...key.runtime, verified: false, consecutiveFailures: 0, consecutiveRateLimits: 0 };
  }

  /**
   * Replaces the key list (hot reload): known keys keep their state, new ones join, missing
   * ones leave. `fingerprints` may hold the new keys' fingerprints, hashed beforehand.
   */
  setKeys(secrets: readonly string[], fingerprints?: ReadonlyMap<string, string>): { added: number; removed: number } {
    const plan = new KeyPlan(this.#index, this.#keyMaker(fingerprints));
    plan.add(secrets);
    return this.#applyPlan(plan);
  }

  /**
   * setKeys for a large list: the new list is planned a slice at a time with the event loop
   * let through in between, and applied at once. Should a key join or leave through the
   * admin API meanwhile, the plan is made again in one go, so that change is never undone.
   */
  async setKeysSliced(secrets: readonly string[], fingerprints: ReadonlyMap<string, string> | undefined, yieldNow: () => Promise<void>): Promise<{ added: number; removed: number }> {
    const version = this.#index.version;
    const plan = new KeyPlan(this.#index, this.#keyMaker(fingerprints));
    for (let from = 0; from < secrets.length; from += RELOAD_SLICE) {
      plan.add(secrets, from, Math.min(secrets.length, from + RELOAD_SLICE));
      await yieldNow();
      if (this.#index.version !== version) return this.setKeys(secrets, fingerprints);
    }
    return this.#applyPlan(plan);
  }

  #applyPlan(plan: KeyPlan): { added: number; removed: number } {
    const { next, kept, joined } = plan;
    for (let i = 0; i < next.length; i++) next[i]!.order = i;
    const removed = this.#index.size - kept.size;
    this.#index.replace(next, kept, joined);
    this.#selection.keysChanged();
    return { added: joined.length, removed };
  }

  #keyMaker(fingerprints?: ReadonlyMap<string, string>): (secret: string, order: number) => PoolKey {
    return (secret, order) => this.#newKey(secret, order, fingerprints?.get(secret));
  }

  #newKey(secret: string, order: number, known?: string): PoolKey {
    const fp = known ?? fingerprintOf(secret);
    return { secret, fingerprint: fp, order, record: this.#stored.get(fp) ?? emptyKeyRecord(fp), runtime: freshRuntime() };
  }

  /** Adds one key at the end of the rotation without touching the others; false when it is already in. */
  addKey(secret: string): boolean {
    const trimmed = secret.trim();
    if (trimmed === '' || this.#index.bySecret(trimmed)) return false;
    this.#index.add(this.#newKey(trimmed, this.#index.size));
    return true;
  }

  /** Takes one key out of the pool (its stored record stays); false when there is none with `fp`. */
  removeKey(fp: string): boolean {
    const key = this.#index.remove(fp);
    if (!key) return false;
    this.#stored.set(fp, key.record);
    this.#selection.keysChanged(key.order);
    return true;
  }

  describe(): string {
    const retired = this.#index.all.filter((k) => k.record.status === 'retired').length;
    return `credential source: ${this.options.origin} (${this.#index.size} keys, ${retired} retired, ${this.options.strategy} rotation)`;
  }

  get size(): number {
    return this.#index.size;
  }

  async acquire(req: CredentialRequest): Promise<CredentialLease> {
    const started = this.options.clock.now();
    for (;;) {
      const now = this.options.clock.now();
      const quick = this.#selection.quickPick(now, req.sessionId, req.exclude);
      if (quick) return this.#lend(quick, req.sessionId, now);
      const { usable, ready } = this.#selection.candidates(now, req.exclude);
      if (usable === 0) {
        if (req.exclude && req.exclude.size > 0) throw new GatewayError('upstream_unavailable', 'Every usable Factory key was tried');
        throw noUsableKeyError(this.#index.all.map((k) => k.record), now);
      }
      if (ready.length > 0) return this.#lend(this.#selection.pick(ready, req.sessionId, now), req.sessionId, now);
      if (now - started > PROBE_WAIT_MS) throw new GatewayError('upstream_unavailable', 'No Factory key answered in time', { retryAfter: 5 });
      await this.#nextReport();
    }
  }

  #lend(key: PoolKey, sessionId: string | undefined, now: number): CredentialLease {
    this.#selection.lend(key, sessionId, now);
    return this.#lease(key);
  }

  /** Resolves at the next reported outcome (or after a while, to re-check cooldowns). */
  #nextReport(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      void this.options.clock.sleep(PROBE_RECHECK_MS).then(resolve);
    });
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
    const key = this.#index.byFingerprint(fp);
    if (this.#waiters.length > 0) {
      const waiters = this.#waiters;
      this.#waiters = [];
      queueMicrotask(() => waiters.forEach((wake) => wake()));
    }
    if (!key) return { failover };
    if (outcome.status === 402) this.options.onQuotaAnswer?.(fp);
    key.runtime = { ...key.runtime, probingSince: undefined };
    if (verdict === 'success') this.#suspicion.clear(fp);
    if (this.#index.size === 1 && verdict !== 'success' && verdict !== 'client_error') {
      // A single key has nothing to fail over to: taking it out of service would only turn
      // the upstream's own answer (status, message, Retry-After) into a 503 from us, and keep
      // doing so after the condition passed. Its failures are counted and passed through.
      this.#update(key, applyVerdict(key.record, key.runtime, 'client_error', outcome, now, this.#policy));
      return { failover: false };
    }
    if ((verdict === 'cooldown' && outcome.status === 429) || verdict === 'transient') {
      const inService = this.#index.inService;
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
    for (const k of this.#index.inService) {
      const recent = (k.record.changedAt ?? 0) >= now - SUSPICION_WINDOW_MS;
      if (k.record.status === 'cooling' && recent && k.record.reason !== ALLOWANCE_REST_REASON) {
        this.#update(k, { record: { ...k.record, status: 'active', coolingUntil: undefined }, runtime: { ...k.runtime, consecutiveFailures: 0, consecutiveRateLimits: 0 } });
      }
    }
  }

  #usage(fp: string, usage: UsageReport): void {
    const key = this.#index.byFingerprint(fp);
    if (!key) return;
    this.#update(key, { record: withUsage(key.record, usage), runtime: key.runtime });
    this.#spent(key);
  }

  #update(key: PoolKey, next: { record: KeyRecord; runtime: KeyRuntime }): void {
    const before = key.record;
    key.record = next.record;
    key.runtime = next.runtime;
    if (before.status !== next.record.status) this.#index.recordChanged(key, before);
    this.options.store.saveKey(next.record);
  }

  /**
   * A key's latest allowance check: a spent window rests the key until it resets (a single
   * key is never rested: it has nothing to fail over to), and expiring-first orders by it.
   */
  applyAllowance(fp: string, allowance: KeyAllowance): void {
    const key = this.#index.byFingerprint(fp);
    if (!key) return;
    const now = this.options.clock.now();
    key.expiry = allowanceExpiry(allowance, now);
    key.budget = tokenBudget(allowance, key.record, now);
    this.#rest(key, this.#index.size > 1 ? exhaustedUntil(allowance, now) : undefined, now);
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
    const until = key.budget && this.#index.size > 1 ? budgetSpent(key.budget, key.record, this.options.clock.now()) : undefined;
    if (until === undefined) return;
    key.budget = undefined;
    this.#rest(key, until, this.options.clock.now());
    this.options.onQuotaAnswer?.(key.fingerprint);
  }

  /** Every key, masked, with its state and counters. */
  snapshot(): KeyView[] {
    return this.#index.all.map(viewOf);
  }

  /** One key, masked, or undefined. */
  view(fp: string): KeyView | undefined {
    const key = this.#index.byFingerprint(fp);
    return key ? viewOf(key) : undefined;
  }

  /** Puts a retired, disabled or cooling key back into service. */
  reinstate(fp: string): boolean {
    const key = this.#index.byFingerprint(fp);
    if (!key) return false;
    const record: KeyRecord = { ...key.record, status: 'active', coolingUntil: undefined, reason: undefined, changedAt: this.options.clock.now() };
    this.#update(key, { record, runtime: freshRuntime() });
    this.options.onReinstate?.(key.secret);
    return true;
  }

  /** Zeroes the counters of one key, or of all keys; statuses are kept. */
  resetCounters(fp?: string): number {
    const keys = fp ? this.#index.all.filter((k) => k.fingerprint === fp) : this.#index.all;
    for (const k of keys) {
      const fresh = emptyKeyRecord(k.fingerprint);
      this.#update(k, { record: { ...k.record, ...fresh, status: k.record.status, coolingUntil: k.record.coolingUntil, reason: k.record.reason, changedAt: k.record.changedAt }, runtime: k.runtime });
    }
    return keys.length;
  }

  /** Every key in the pool, for masking text that might echo one; never shown. */
  secrets(): string[] {
    return this.#index.all.map((k) => k.secret);
  }

  /** Each key's fingerprint and Authorization value, for the allowance checks. */
  authorizations(): Array<{ fingerprint: string; authorization: string }> {
    return this.#index.all.map((k) => ({ fingerprint: k.fingerprint, authorization: bearer(k.secret) }));
  }

  /** The fingerprint of a key in the pool, without hashing it again. */
  fingerprintOf(secret: string): string | undefined {
    return this.#index.bySecret(secret)?.fingerprint;
  }

  secretOf(fp: string): string | undefined {
    return this.#index.byFingerprint(fp)?.secret;
  }
}
