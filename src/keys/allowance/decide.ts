import type { KeyRecord } from '../../state/store.js';
import { limitsEveryModel, type KeyAllowance } from './types.js';

/** The reason a key rests because a window of its allowance is spent (also how such a rest is recognised). */
export const ALLOWANCE_REST_REASON = 'allowance spent until the window resets';

/**
 * Until when (epoch ms) the key cannot be used because a window is spent, or undefined when
 * it can. A spent window without a known end, or one already over, does not rest the key:
 * only a known reset brings it back by itself, and an unknown stays in service.
 */
export function exhaustedUntil(allowance: KeyAllowance, now: number): number | undefined {
  if (allowance.overageAllowed) return undefined;
  let until: number | undefined;
  for (const w of allowance.windows) {
    if (!limitsEveryModel(w) || w.usedRatio < 1 || w.endsAt === undefined || w.endsAt <= now) continue;
    until = Math.max(until ?? 0, w.endsAt);
  }
  return until;
}

/**
 * When the key's unspent allowance is soonest lost: the earliest end of a window that still
 * has some left. Undefined when no window with a known end has any left.
 */
export function allowanceExpiry(allowance: KeyAllowance, now: number): number | undefined {
  let soonest: number | undefined;
  for (const w of allowance.windows) {
    if (!limitsEveryModel(w) || w.usedRatio >= 1 || w.endsAt === undefined || w.endsAt <= now) continue;
    soonest = Math.min(soonest ?? Infinity, w.endsAt);
  }
  return soonest;
}

/**
 * The key's record after an allowance check: resting (cooling until the window resets) when
 * a window is spent, back in service when a rest for the allowance is no longer due (the
 * window reset, or an admin check found allowance). Undefined when nothing changes. Retired
 * and disabled keys stay as they are: only a 402 or an admin decides those.
 */
export function recordForAllowance(record: KeyRecord, restUntil: number | undefined, now: number): KeyRecord | undefined {
  if (restUntil !== undefined) {
    const resting = record.status === 'cooling' && (record.coolingUntil ?? 0) >= restUntil;
    if (resting || (record.status !== 'active' && record.status !== 'cooling')) return undefined;
    return { ...record, status: 'cooling', coolingUntil: restUntil, reason: ALLOWANCE_REST_REASON, changedAt: now };
  }
  const restingForAllowance = record.status === 'cooling' && record.reason === ALLOWANCE_REST_REASON && (record.coolingUntil ?? 0) > now;
  return restingForAllowance ? { ...record, status: 'active', coolingUntil: undefined, reason: undefined, changedAt: now } : undefined;
}

/**
 * expiring-first: the candidate whose unspent allowance expires soonest (use it or lose it);
 * among several expiring together, and where no candidate's expiry is known, `fallback`
 * chooses (weighted selection). `expiryOf` gives a candidate's expiry as last computed.
 */
export function pickExpiringFirst<T>(candidates: readonly T[], expiryOf: (c: T) => number | undefined, now: number, fallback: (cs: readonly T[]) => T): T {
  let soonest = Infinity;
  for (const c of candidates) {
    const e = expiryOf(c);
    if (e !== undefined && e > now && e < soonest) soonest = e;
  }
  if (soonest === Infinity) return fallback(candidates);
  const first = candidates.filter((c) => expiryOf(c) === soonest);
  return first.length === 1 ? first[0]! : fallback(first);
}
