import type { Dimension, HistoryRow, Resolution } from './counts.js';
import type { LastError } from '../web/status-wire.js';

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

/** The dimensions whose last error is kept: the endpoints table's client routes and upstream endpoints, and the models table. */
export const ERROR_DIMENSIONS = ['route', 'endpoint', 'model'] as const satisfies readonly Dimension[];
export type ErrorDimension = (typeof ERROR_DIMENSIONS)[number];

export function isErrorDimension(dimension: Dimension): dimension is ErrorDimension {
  return (ERROR_DIMENSIONS as readonly Dimension[]).includes(dimension);
}

/** An empty map of last errors by value for each error dimension. */
export function lastErrorMaps(): Record<ErrorDimension, Map<string, LastError>> {
  return { route: new Map(), endpoint: new Map(), model: new Map() };
}

/** The latest error of one client route, upstream endpoint or model. */
export interface LastErrorEntry {
  dimension: ErrorDimension;
  value: string;
  error: LastError;
}

/**
 * Request history, per time bucket and dimension value. `add` merges by addition (several
 * processes or replicas writing the same bucket add up); rows past their resolution's
 * retention are dropped by `prune`, and so are last errors older than the hour rows.
 */
export interface HistoryStore {
  add(rows: readonly HistoryRow[]): Promise<void>;
  read(query: HistoryQuery): Promise<HistoryRow[]>;
  /**
   * Keeps each entry unless the store holds a later error (by `at`) for its dimension and
   * value: processes and replicas write in any order, and the newest error wins.
   */
  keepLastErrors(entries: readonly LastErrorEntry[]): Promise<void>;
  /** The last error of every value of the dimension, by value. */
  lastErrors(dimension: ErrorDimension): Promise<Map<string, LastError>>;
  prune(now: number): Promise<void>;
  close(): Promise<void>;
}
