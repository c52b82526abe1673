import type { Clock, Random } from '../../src/runtime/clock.js';

/**
 * A clock that only moves when told to. By default a sleep jumps the time forward at once;
 * with `manualSleeps` a sleep waits until `advance` reaches its end.
 */
export class FakeClock implements Clock {
  #sleepers: Array<{ until: number; wake: () => void }> = [];

  constructor(
    public time = 1_800_000_000_000,
    private readonly manualSleeps = false,
  ) {}

  now(): number {
    return this.time;
  }

  advance(ms: number): void {
    this.time += ms;
    const due = this.#sleepers.filter((s) => s.until <= this.time);
    this.#sleepers = this.#sleepers.filter((s) => s.until > this.time);
    due.forEach((s) => s.wake());
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError());
    if (!this.manualSleeps) {
      this.time += ms;
      return Promise.resolve();
    }
    return new Promise((wake, fail) => {
      const sleeper = { until: this.time + ms, wake };
      this.#sleepers.push(sleeper);
      // Like the real clock, an aborted sleep rejects at once (how loops are stopped).
      signal?.addEventListener('abort', () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        fail(abortError());
      });
    });
  }
}

function abortError(): Error {
  return Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR' });
}

/** mulberry32: a small seeded PRNG, so weighted selection is reproducible. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const silentLog = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined };
