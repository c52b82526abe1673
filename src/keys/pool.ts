import { GatewayError } from '../errors.js';
import { emptyKeyRecord, type KeyRecord } from '../state/store.js';
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
import { budgetSpent, tokenBudget } from './allowance/budget.js';
import type { KeyAllowance } from './allowance/types.js';
import { KeyIndex, type PoolKey } from './key-index.js';
import { KeyPlan } from './key-plan.js';
import { noUsableKeyError } from './no-key-error.js';
import { nextInRotation, pickSimple, pickWeighted, sampleWeighted } from './select.js';
import { UpstreamSuspicion } from './upstream-suspicion.js';
import type { KeyPoolOptions, KeyView } from './pool-types.js';
import { PROBE_GRACE_MS, PROBE_RECHECK_MS, PROBE_WAIT_MS, RELOAD_SLICE, SAMPLE_TRIES, SUSPICION_WINDOW_MS } from './pool-tuning.js';

const orderOf = (k: PoolKey) => k.order;
const scoreOf = (k: PoolKey) => k.runtime.score;
const expiryOf = (k: PoolKey) => k.expiry;
const viewOf = (k: PoolKey): KeyView => ({ ...k.record, masked: maskSecret(k.secret), score: k.runtime.score });

export type { KeyPoolOptions, KeyView, PoolLogger } from './pool-types.js';

function withUsage(r: KeyRecord, usage: UsageReport): KeyRecord {
  return { ...r, tokensIn: r.tokensIn + usage.inputTokens, tokensOut: r.tokensOut + usage.outputTokens, tokensCached: r.tokensCached + usage.cachedInputTokens };
}

/**
 * The key pool: which key a request gets, what each answer does to the key that got it,
 * and the keys' health, persisted through the store. Each lease reports against its own
 * key, so concurrent requests never blame the wrong one.
 */
export class KeyPool implements CredentialSource {
  readonly #index = new KeyIndex();
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
    this.#cursor = next.length === 0 ? 0 : this.#cursor % next.length;
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
    if (key.order < this.#cursor) this.#cursor--;
    this.#cursor = this.#index.size === 0 ? 0 : this.#cursor % this.#index.size;
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
      const quick = this.#quickPick(now, req.sessionId, req.exclude);
      if (quick) return this.#lend(quick, req.sessionId, now);
      const { usable, ready } = this.#candidates(now, req.exclude);
      if (usable === 0) {
        if (req.exclude && req.exclude.size > 0) throw new GatewayError('upstream_unavailable', 'Every usable Factory key was tried');
        throw noUsableKeyError(this.#index.all.map((k) => k.record), now);
      }
      if (ready.length > 0) return this.#lend(this.#pick(ready, req.sessionId, now), req.sessionId, now);
      if (now - started > PROBE_WAIT_MS) throw new GatewayError('upstream_unavailable', 'No Factory key answered in time', { retryAfter: 5 });
      await this.#nextReport();
    }
  }

  #lend(key: PoolKey, sessionId: string | undefined, now: number): CredentialLease {
    if (sessionId && this.#affinity) this.#affinity.set(sessionId, key.fingerprint, now);
    if (!key.runtime.verified && key.runtime.probingSince === undefined) key.runtime = { ...key.runtime, probingSince: now };
    return this.#lease(key);
  }

  /** Whether `k` may be lent now (see `#candidates`). */
  #isReady(k: PoolKey, now: number, exclude: ReadonlySet<string> | undefined): boolean {
    if (!isUsable(k.record, now) || exclude?.has(k.fingerprint)) return false;
    const { verified, probingSince } = k.runtime;
    return this.#index.size === 1 || verified || probingSince === undefined || now - probingSince >= PROBE_GRACE_MS;
  }

  /**
   * The usual case without a pass over the pool: the conversation's key if it is ready, else
   * the strategy's pick over the keys in service, looking at a few of them. Undefined when
   * that finds none (every key busy, cooling or tried): `#candidates` then tells why.
   */
  #quickPick(now: number, session: string | undefined, exclude: ReadonlySet<string> | undefined): PoolKey | undefined {
    const isReady = (k: PoolKey) => this.#isReady(k, now, exclude);
    const affine = session ? this.#affinity?.get(session, now) : undefined;
    const sticky = affine === undefined ? undefined : this.#index.byFingerprint(affine);
    if (sticky && isReady(sticky)) return sticky;
    // Expiring-first orders every ready key by its allowance: the full pass does it.
    if (this.options.strategy === 'expiring-first') return undefined;
    const keys = this.#index.inService;
    if (this.options.strategy === 'simple') {
      const pick = nextInRotation(keys, this.#index.servicePosition(this.#cursor), isReady);
      if (pick) this.#cursor = (pick.order + 1) % this.#index.size;
      return pick;
    }
    return sampleWeighted(keys, isReady, scoreOf, this.options.random, SAMPLE_TRIES);
  }

  /**
   * One pass over the pool, when the quick pick found nothing: how many keys are usable now, and which
   * of them may be lent. Unverified keys already being tried by another request wait for
   * that answer, for a short while: a dead key answers 402/401 at once, a live one may take
   * long to finish. A single key is never taken out of service, so it is always ready.
   */
  #candidates(now: number, exclude: ReadonlySet<string> | undefined): { usable: number; ready: PoolKey[] } {
    const ready: PoolKey[] = [];
    let usable = 0;
    for (const k of this.#index.inService) {
      if (!isUsable(k.record, now) || exclude?.has(k.fingerprint)) continue;
      usable++;
      if (this.#isReady(k, now, exclude)) ready.push(k);
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
      const { pick, cursor } = pickSimple(ready, orderOf, this.#cursor, this.#index.size);
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
