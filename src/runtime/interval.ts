/** A repeating timer that never keeps the process alive on its own. */
export interface Interval {
  stop(): void;
}

/**
 * Runs fn every ms milliseconds. Bare timers belong in src/runtime only, so code elsewhere
 * (the state store's flusher) schedules through this and stays testable with fake timers.
 */
export function every(ms: number, fn: () => void): Interval {
  const timer = setInterval(fn, ms);
  // A pending flush must not delay shutdown: close() does the last flush explicitly.
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
