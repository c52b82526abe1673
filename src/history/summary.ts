import { addCounts, bucketStart, emptyCounts, quantileMs, RESOLUTIONS, type Dimension, type HistoryCounts, type HistoryRow, type Resolution } from './counts.js';
import type { HistoryStore } from './history-store.js';
import type { LastError, TrafficSummary } from '../web/status-wire.js';

export type { TrafficSummary } from '../web/status-wire.js';

/** The ranges the status page offers: the last hour per minute, the last day or week per hour. */
export const RANGES = {
  '1h': { resolution: 'minute', span: 3_600_000 },
  '24h': { resolution: 'hour', span: 24 * 3_600_000 },
  '7d': { resolution: 'hour', span: 7 * 24 * 3_600_000 },
} as const satisfies Record<string, { resolution: Resolution; span: number }>;
export type RangeName = keyof typeof RANGES;

export function isRangeName(value: unknown): value is RangeName {
  return typeof value === 'string' && Object.hasOwn(RANGES, value);
}

export function summarise(name: string, c: HistoryCounts, lastError: LastError | undefined): TrafficSummary {
  return {
    name,
    requests: c.requests,
    successRate: c.requests === 0 ? null : (c.requests - c.errors4xx - c.errors5xx) / c.requests,
    errors4xx: c.errors4xx,
    errors5xx: c.errors5xx,
    failovers: c.failovers,
    ttfbP50Ms: quantileMs(c.ttfb, 0.5) ?? null,
    ttfbP95Ms: quantileMs(c.ttfb, 0.95) ?? null,
    totalP50Ms: quantileMs(c.total, 0.5) ?? null,
    totalP95Ms: quantileMs(c.total, 0.95) ?? null,
    tokensIn: c.tokensIn,
    tokensOut: c.tokensOut,
    tokensCached: c.tokensCached,
    streamsCut: c.streamsCut,
    lastError: lastError ?? null,
  };
}

/** Rows summed per dimension value, busiest first. */
export function totalsByValue(rows: readonly HistoryRow[]): Map<string, HistoryCounts> {
  const totals = new Map<string, HistoryCounts>();
  for (const r of rows) {
    const t = totals.get(r.value);
    if (t) addCounts(t, r.counts);
    else totals.set(r.value, addCounts(emptyCounts(), r.counts));
  }
  return new Map([...totals].sort((a, b) => b[1].requests - a[1].requests));
}

/** The rows of one range and dimension, the current (partial) bucket included. */
export async function readRange(store: HistoryStore, range: RangeName, dimension: Dimension, now: number): Promise<HistoryRow[]> {
  const { resolution, span } = RANGES[range];
  const to = bucketStart(now, resolution) + RESOLUTIONS[resolution];
  return store.read({ resolution, dimension, from: to - span, to });
}

/** Chart data: one point per bucket of the range (empty buckets as zeros), per dimension value. */
export interface HistorySeries {
  range: RangeName;
  resolution: Resolution;
  dimension: Dimension;
  /** Bucket starts, epoch seconds (uPlot's x axis). */
  t: number[];
  series: Record<string, {
    requests: number[];
    errors: number[];
    successRate: Array<number | null>;
    tokens: number[];
    ttfbP95Ms: Array<number | null>;
  }>;
}

export function toSeries(rows: readonly HistoryRow[], range: RangeName, dimension: Dimension, now: number): HistorySeries {
  const { resolution, span } = RANGES[range];
  const size = RESOLUTIONS[resolution];
  const end = bucketStart(now, resolution) + size;
  const starts: number[] = [];
  for (let b = end - span; b < end; b += size) starts.push(b);
  const index = new Map(starts.map((b, i) => [b, i]));
  const series: HistorySeries['series'] = {};
  for (const r of rows) {
    const i = index.get(r.bucket);
    if (i === undefined) continue;
    const s = (series[r.value] ??= {
      requests: starts.map(() => 0),
      errors: starts.map(() => 0),
      successRate: starts.map(() => null),
      tokens: starts.map(() => 0),
      ttfbP95Ms: starts.map(() => null),
    });
    const c = r.counts;
    s.requests[i] = c.requests;
    s.errors[i] = c.errors4xx + c.errors5xx;
    s.successRate[i] = c.requests === 0 ? null : (c.requests - c.errors4xx - c.errors5xx) / c.requests;
    s.tokens[i] = c.tokensIn + c.tokensOut;
    s.ttfbP95Ms[i] = quantileMs(c.ttfb, 0.95) ?? null;
  }
  return { range, resolution, dimension, t: starts.map((b) => b / 1000), series };
}
