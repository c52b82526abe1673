/**
 * Timing rules of the refresh-token source, as pure functions of `now` (no I/O, no clock).
 * WorkOS does not tell us when the access token expires; we keep droid2api v1's age limit
 * of 6 h.
 */

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** An access token older than this is not handed out any more. */
export const MAX_TOKEN_AGE_MS = 6 * HOUR;
/** The background loop refreshes this long before MAX_TOKEN_AGE_MS, so a failure still has time to be retried. */
export const PROACTIVE_MARGIN_MS = 10 * MINUTE;
/** How long acquire() waits for a refresh in flight before answering upstream_unavailable. */
export const ACQUIRE_WAIT_MS = 5 * SECOND;
/**
 * A 401/403 on a token younger than this does not trigger a refresh: a token that fresh is
 * not refused for its age, and refreshing on every refused request would hammer WorkOS.
 */
export const MIN_REJECT_REFRESH_AGE_MS = 30 * SECOND;

const BACKOFF_BASE_MS = SECOND;
const BACKOFF_CAP_MS = 5 * MINUTE;

export interface AccessToken {
  readonly value: string;
  /** Epoch ms when WorkOS issued it (our clock). */
  readonly obtainedAt: number;
  /** Set when the upstream refused it (401/403): never handed out again. */
  readonly stale: boolean;
}

/** 1 s, 2 s, 4 s … after the 1st, 2nd, 3rd consecutive failure, capped at 5 min. */
export function backoffMs(failures: number): number {
  const exponent = Math.max(0, failures - 1);
  // 2^9 s already exceeds the cap; clamping the exponent keeps the number finite.
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(exponent, 16));
}

export function isUsable(token: AccessToken | undefined, now: number): token is AccessToken {
  return token !== undefined && !token.stale && now - token.obtainedAt < MAX_TOKEN_AGE_MS;
}

/** When the background loop should refresh a token obtained at `obtainedAt`. */
export function proactiveRefreshAt(obtainedAt: number): number {
  return obtainedAt + MAX_TOKEN_AGE_MS - PROACTIVE_MARGIN_MS;
}

/** Whole seconds until `at` (at least 1), for Retry-After. */
export function secondsUntil(at: number, now: number): number {
  return Math.max(1, Math.ceil((at - now) / SECOND));
}
