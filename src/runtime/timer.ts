/** A one-shot timer that never keeps the process alive on its own. */
export interface Timer {
  cancel(): void;
}

/**
 * Runs fn once after ms milliseconds unless cancelled first. Bare timers belong in
 * src/runtime only (see interval.ts); an upstream call's first-byte limit uses this.
 */
export function after(ms: number, fn: () => void): Timer {
  const timer = setTimeout(fn, ms);
  timer.unref();
  return { cancel: () => clearTimeout(timer) };
}
