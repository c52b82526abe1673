import type { KeyRecord } from '../state/store.js';
import type { KeyVerdict } from './classify.js';
import type { AttemptOutcome } from './credential.js';

/** How long keys rest; defaults suit Factory's per-minute rate limits. */
export interface HealthPolicy {
  /** First 429 back-off without Retry-After; doubles per consecutive 429. */
  rateLimitBaseMs: number;
  maxCooldownMs: number;
  /** Consecutive transient failures before a key rests. */
  transientThreshold: number;
  transientCooldownMs: number;
  /** 402 with remove_on_402 off: rest this long instead of retiring. */
  quotaCooldownMs: number;
  /** Weight of the newest outcome in the smoothed success rate. */
  scoreAlpha: number;
}

export const DEFAULT_HEALTH_POLICY: HealthPolicy = {
  rateLimitBaseMs: 5_000,
  maxCooldownMs: 10 * 60_000,
  transientThreshold: 3,
  transientCooldownMs: 15_000,
  quotaCooldownMs: 60 * 60_000,
  scoreAlpha: 0.2,
};

/** Per-key health that is not persisted: it rebuilds itself within a few requests. */
export interface KeyRuntime {
  /** Smoothed success rate in [0, 1]; 1 for a key with no history. */
  score: number;
  consecutiveFailures: number;
  consecutiveRateLimits: number;
  /**
   * The key has answered successfully since it (re)joined the pool. An unverified key is
   * lent to one request at a time, so a dead key costs one attempt, not one per request
   * of a burst.
   */
  verified: boolean;
  /** Since when (epoch ms) a request has been trying the unverified key; undefined when none is. */
  probingSince: number | undefined;
}

export function freshRuntime(): KeyRuntime {
  return { score: 1, consecutiveFailures: 0, consecutiveRateLimits: 0, verified: false, probingSince: undefined };
}

/** Whether a key can be given out at `now` (a cooling key whose rest is over is usable again). */
export function isUsable(record: KeyRecord, now: number): boolean {
  if (record.status === 'active') return true;
  return record.status === 'cooling' && (record.coolingUntil ?? 0) <= now;
}

/**
 * The per-status counts with one more answer of `status`, in a new object. Copied key by key:
 * the keys are integer-like ("200"), which V8 spreads slower than it copies them.
 */
function countStatus(byStatus: Readonly<Record<string, number>>, status: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const code in byStatus) out[code] = byStatus[code]!;
  const code = String(status);
  out[code] = (out[code] ?? 0) + 1;
  return out;
}

function describe(outcome: AttemptOutcome): string {
  const what = outcome.status === 0 ? 'no answer' : `HTTP ${outcome.status}`;
  return outcome.message ? `${what}: ${outcome.message}` : what;
}

/**
 * The key's next record and runtime after one attempt. Pure: the caller persists the
 * record and decides about failover.
 */
export function applyVerdict(
  record: KeyRecord,
  runtime: KeyRuntime,
  verdict: KeyVerdict,
  outcome: AttemptOutcome,
  now: number,
  policy: HealthPolicy,
): { record: KeyRecord; runtime: KeyRuntime } {
  const counted: KeyRecord = { ...record, byStatus: countStatus(record.byStatus, outcome.status), lastUsed: now };
  const fail = (score: number) => score * (1 - policy.scoreAlpha);
  // Retired and disabled are final until an admin reinstates the key: a late answer from a
  // request still in flight on it only counts.
  if (record.status === 'retired' || record.status === 'disabled') {
    const ok = verdict === 'success';
    return { record: { ...counted, success: record.success + (ok ? 1 : 0), failure: record.failure + (ok || verdict === 'client_error' ? 0 : 1) }, runtime };
  }
  switch (verdict) {
    case 'success':
      return {
        record: { ...counted, success: record.success + 1, status: 'active', coolingUntil: undefined },
        runtime: { ...runtime, score: runtime.score * (1 - policy.scoreAlpha) + policy.scoreAlpha, consecutiveFailures: 0, consecutiveRateLimits: 0, verified: true },
      };
    case 'client_error':
      return { record: counted, runtime };
    case 'retire':
      return {
        record: { ...counted, failure: record.failure + 1, status: 'retired', reason: describe(outcome), changedAt: now, lastError: describe(outcome) },
        runtime: { ...runtime, score: 0 },
      };
    case 'disable':
      return {
        record: { ...counted, failure: record.failure + 1, status: 'disabled', reason: describe(outcome), changedAt: now, lastError: describe(outcome) },
        runtime: { ...runtime, score: 0 },
      };
    case 'cooldown': {
      const level = runtime.consecutiveRateLimits;
      const backoff = outcome.status === 402 ? policy.quotaCooldownMs : policy.rateLimitBaseMs * 2 ** level;
      const ms = Math.min(policy.maxCooldownMs, outcome.retryAfter !== undefined ? outcome.retryAfter * 1000 : backoff);
      return {
        record: { ...counted, failure: record.failure + 1, status: 'cooling', coolingUntil: now + ms, reason: describe(outcome), changedAt: now, lastError: describe(outcome) },
        runtime: { ...runtime, score: fail(runtime.score), consecutiveRateLimits: level + 1, verified: false },
      };
    }
    case 'transient': {
      const failures = runtime.consecutiveFailures + 1;
      const failed: KeyRecord = { ...counted, failure: record.failure + 1, lastError: describe(outcome) };
      const cooling = failures >= policy.transientThreshold;
      const ms = Math.min(policy.maxCooldownMs, policy.transientCooldownMs * 2 ** (failures - policy.transientThreshold));
      const next: KeyRecord = cooling ? { ...failed, status: 'cooling', coolingUntil: now + ms, reason: describe(outcome), changedAt: now } : failed;
      return { record: next, runtime: { ...runtime, score: fail(runtime.score), consecutiveFailures: failures, verified: runtime.verified && !cooling } };
    }
  }
}
