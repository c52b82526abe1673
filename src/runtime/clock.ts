import { setTimeout as delay } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';

/** Time, ids and randomness are injected so tests can fix them. Only src/runtime reads the real ones. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface Ids {
  /** A fresh unique id with the given prefix (e.g. `msg_`, `chatcmpl-`). */
  next(prefix: string): string;
  uuid(): string;
}

export type Random = () => number;

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: async (ms, signal) => {
    await delay(ms, undefined, { signal });
  },
};

export const systemIds: Ids = {
  next: (prefix) => prefix + randomUUID().replaceAll('-', ''),
  uuid: () => randomUUID(),
};

export const systemRandom: Random = () => Math.random();

/** Deterministic ids for tests and goldens: prefix + a counter. */
export function counterIds(): Ids {
  let n = 0;
  return {
    next: (prefix) => `${prefix}${String(++n).padStart(6, '0')}`,
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  };
}
