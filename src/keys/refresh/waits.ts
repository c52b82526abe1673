import type { Clock } from '../../runtime/clock.js';

/** Sleeps on the injected clock; false when the sleep was cut short by `signal`. */
export async function sleepUnlessAborted(clock: Clock, ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await clock.sleep(ms, signal);
  } catch {
    // Only an abort rejects a sleep; the signal says so below.
  }
  return !signal.aborted;
}

/**
 * Waits for `work`, but no longer than `ms`; the timer is cancelled either way. close() needs
 * no hook here: it aborts the WorkOS call, which settles `work`.
 */
export async function waitAtMost(clock: Clock, work: Promise<void>, ms: number): Promise<void> {
  const timer = new AbortController();
  try {
    await Promise.race([work, clock.sleep(ms, timer.signal).catch(() => undefined)]);
  } finally {
    timer.abort();
  }
}
