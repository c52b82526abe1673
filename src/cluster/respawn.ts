/**
 * When to start a worker again after one died (WORKERS mode). A worker that cannot start
 * (port taken, bad file, missing permission) would otherwise be forked again at once, in a
 * loop that only burns CPU: respawns back off exponentially, and after too many early
 * deaths in a window the primary gives up, so the service manager sees a failed service.
 */
export interface RespawnPolicy {
  /** Delay before the first respawn after an early death; doubles with each further one. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** This many early deaths within windowMs: give up. */
  maxFailures: number;
  windowMs: number;
  /** A worker that lived this long died of something else than its start: respawned at once, the count starts over. */
  stableMs: number;
}

export const DEFAULT_RESPAWN_POLICY: RespawnPolicy = { baseDelayMs: 250, maxDelayMs: 30_000, maxFailures: 5, windowMs: 60_000, stableMs: 30_000 };

export type RespawnDecision = { action: 'respawn'; delayMs: number } | { action: 'give-up'; failures: number };

/** The primary's record of recent early deaths; one per primary. */
export class RespawnBudget {
  #failures: number[] = [];

  constructor(private readonly policy: RespawnPolicy = DEFAULT_RESPAWN_POLICY) {}

  /** A worker died at `now` after living `livedMs`. */
  exited(now: number, livedMs: number): RespawnDecision {
    const p = this.policy;
    if (livedMs >= p.stableMs) {
      this.#failures = [];
      return { action: 'respawn', delayMs: 0 };
    }
    this.#failures = [...this.#failures.filter((t) => now - t < p.windowMs), now];
    const count = this.#failures.length;
    if (count >= p.maxFailures) return { action: 'give-up', failures: count };
    return { action: 'respawn', delayMs: Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (count - 1)) };
  }
}
