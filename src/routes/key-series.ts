import type { KeyView } from '../keys/pool.js';
import type { KeyStatus } from '../state/store.js';
import { effectiveStatus } from './status-data.js';

/** Per-key series on /metrics up to this many keys; beyond it, one series per status. */
export const DEFAULT_MAX_KEY_SERIES = 100;

/** METRICS_MAX_KEY_SERIES: a whole number ≥ 0; anything else keeps the default. */
export function maxKeySeries(env: NodeJS.ProcessEnv): number {
  const n = Number(env.METRICS_MAX_KEY_SERIES);
  return env.METRICS_MAX_KEY_SERIES !== undefined && env.METRICS_MAX_KEY_SERIES !== '' && Number.isInteger(n) && n >= 0 ? n : DEFAULT_MAX_KEY_SERIES;
}

interface Counts {
  success: number;
  failure: number;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
}

/**
 * The `key` label of each series and what it counts: one per key (its fingerprint) while the
 * pool has at most `max` keys; beyond that, keys summed by status (`status:active`, …), so
 * a pool of 10,000 keys does not put 50,000 series on every scrape.
 */
export function keySeries(keys: readonly KeyView[], max: number, now: number): Array<{ key: string; counts: Counts }> {
  if (keys.length <= max) return keys.map((k) => ({ key: k.fingerprint, counts: k }));
  const byStatus = new Map<KeyStatus, Counts>();
  for (const k of keys) {
    const status = effectiveStatus(k, now);
    const sum = byStatus.get(status) ?? { success: 0, failure: 0, tokensIn: 0, tokensOut: 0, tokensCached: 0 };
    sum.success += k.success;
    sum.failure += k.failure;
    sum.tokensIn += k.tokensIn;
    sum.tokensOut += k.tokensOut;
    sum.tokensCached += k.tokensCached;
    byStatus.set(status, sum);
  }
  return [...byStatus].map(([status, counts]) => ({ key: `status:${status}`, counts }));
}
