/**
 * The figures kept per time bucket and per dimension value: counts that only ever add up,
 * so buckets from several processes or replicas merge by addition, and latency as fixed
 * histograms (same bucket edges everywhere) from which percentiles are read.
 */

/** Upper edges in milliseconds of the latency histograms; one more bucket holds the rest. */
export const LATENCY_EDGES_MS = [50, 100, 250, 500, 1000, 2000, 4000, 8000, 15000, 30000, 60000, 120000, 300000] as const;
export const LATENCY_BUCKETS = LATENCY_EDGES_MS.length + 1;

export const RESOLUTIONS = { minute: 60_000, hour: 3_600_000 } as const;
export type Resolution = keyof typeof RESOLUTIONS;

/**
 * What a history row is about: every request, or one client route, upstream endpoint, model
 * or key (fingerprint); `client` rows are one client key × model (clients/usage-key.ts),
 * counting only the requests its limits admitted.
 */
export const DIMENSIONS = ['all', 'route', 'endpoint', 'model', 'key', 'client'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const SCALARS = ['requests', 'errors4xx', 'errors5xx', 'failovers', 'tokensIn', 'tokensOut', 'tokensCached', 'streamsCut'] as const;
export type Scalar = (typeof SCALARS)[number];

export type HistoryCounts = Record<Scalar, number> & {
  /** Time to first byte at the client, per LATENCY_EDGES_MS bucket. */
  ttfb: number[];
  /** Time to the end of the answer. */
  total: number[];
};

export interface HistoryRow {
  resolution: Resolution;
  /** Start of the bucket, epoch ms. */
  bucket: number;
  dimension: Dimension;
  value: string;
  counts: HistoryCounts;
}

export function emptyCounts(): HistoryCounts {
  return {
    requests: 0, errors4xx: 0, errors5xx: 0, failovers: 0, tokensIn: 0, tokensOut: 0, tokensCached: 0, streamsCut: 0,
    ttfb: new Array<number>(LATENCY_BUCKETS).fill(0),
    total: new Array<number>(LATENCY_BUCKETS).fill(0),
  };
}

export function addCounts(into: HistoryCounts, from: HistoryCounts): HistoryCounts {
  for (const s of SCALARS) into[s] += from[s];
  for (let i = 0; i < LATENCY_BUCKETS; i++) {
    into.ttfb[i]! += from.ttfb[i] ?? 0;
    into.total[i]! += from.total[i] ?? 0;
  }
  return into;
}

export function latencyBucket(ms: number): number {
  let i = 0;
  while (i < LATENCY_EDGES_MS.length && ms > LATENCY_EDGES_MS[i]!) i++;
  return i;
}

/**
 * The q-quantile (0..1) of a histogram in milliseconds, interpolated within its bucket as
 * Prometheus's histogram_quantile does; undefined when empty. The open last bucket answers
 * its lower edge.
 */
export function quantileMs(hist: readonly number[], q: number): number | undefined {
  const n = hist.reduce((a, b) => a + b, 0);
  if (n === 0) return undefined;
  const rank = q * n;
  let seen = 0;
  for (let i = 0; i < hist.length; i++) {
    const c = hist[i]!;
    if (c > 0 && seen + c >= rank) {
      const lower = i === 0 ? 0 : LATENCY_EDGES_MS[i - 1]!;
      if (i >= LATENCY_EDGES_MS.length) return lower;
      const upper = LATENCY_EDGES_MS[i]!;
      return Math.round(lower + ((upper - lower) * (rank - seen)) / c);
    }
    seen += c;
  }
  return LATENCY_EDGES_MS[LATENCY_EDGES_MS.length - 1];
}

export function bucketStart(at: number, resolution: Resolution): number {
  const size = RESOLUTIONS[resolution];
  return at - (at % size);
}
