import type { Dimension, HistoryRow, Resolution } from './counts.js';

/** How long buckets are kept: per minute for two days, per hour for 90 days (USAGE_RETENTION_DAYS). */
export const RETENTION_MS: Record<Resolution, number> = { minute: 48 * 3_600_000, hour: 90 * 24 * 3_600_000 };

/** The retention with hour rows (the client usage report's) kept `days` days. */
export function retentionFor(days: number): Record<Resolution, number> {
  return { ...RETENTION_MS, hour: days * 24 * 3_600_000 };
}

export interface HistoryQuery {
  resolution: Resolution;
  dimension: Dimension;
  /** Bucket starts from (inclusive) and to (exclusive), epoch ms. */
  from: number;
  to: number;
}

/**
 * Request history, per time bucket and dimension value. `add` merges by addition (several
 * processes or replicas writing the same bucket add up); rows past their resolution's
 * retention are dropped by `prune`.
 */
export interface HistoryStore {
  add(rows: readonly HistoryRow[]): Promise<void>;
  read(query: HistoryQuery): Promise<HistoryRow[]>;
  prune(now: number): Promise<void>;
  close(): Promise<void>;
}
