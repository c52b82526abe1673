import type { Redis } from 'ioredis';
import { LATENCY_BUCKETS, RESOLUTIONS, SCALARS, emptyCounts, type HistoryCounts, type HistoryRow, type Resolution } from './counts.js';
import { RETENTION_MS, type HistoryQuery, type HistoryStore } from './history-store.js';

/** Most buckets one read may cover (7 days of hours, 2 days of minutes fit). */
const MAX_BUCKETS = 3000;

/**
 * History in Redis, shared by replicas: one hash of counters per bucket and dimension value
 * (HINCRBY, so replicas add up), a set of the values seen per bucket and dimension, both
 * expiring with their resolution's retention: Redis prunes by itself.
 */
export class RedisHistory implements HistoryStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly retention: Record<Resolution, number> = RETENTION_MS,
  ) {}

  private bucketKey(r: Pick<HistoryRow, 'resolution' | 'bucket' | 'dimension'>): string {
    return `${this.prefix}history:${r.resolution}:${r.bucket}:${r.dimension}`;
  }

  async add(rows: readonly HistoryRow[]): Promise<void> {
    if (rows.length === 0) return;
    const multi = this.redis.multi();
    for (const r of rows) {
      const ttl = Math.ceil((this.retention[r.resolution] + RESOLUTIONS[r.resolution]) / 1000);
      const values = this.bucketKey(r);
      const hash = `${values}:${r.value}`;
      multi.sadd(values, r.value).expire(values, ttl);
      for (const s of SCALARS) if (r.counts[s] !== 0) multi.hincrby(hash, s, r.counts[s]);
      for (let i = 0; i < LATENCY_BUCKETS; i++) {
        if (r.counts.ttfb[i]) multi.hincrby(hash, `ttfb${i}`, r.counts.ttfb[i]!);
        if (r.counts.total[i]) multi.hincrby(hash, `total${i}`, r.counts.total[i]!);
      }
      multi.expire(hash, ttl);
    }
    await multi.exec();
  }

  async read(q: HistoryQuery): Promise<HistoryRow[]> {
    const size = RESOLUTIONS[q.resolution];
    const first = q.from - (q.from % size);
    const buckets: number[] = [];
    for (let b = first; b < q.to && buckets.length < MAX_BUCKETS; b += size) if (b >= q.from) buckets.push(b);
    const members = await this.pipelined(buckets.map((bucket) => ['smembers', this.bucketKey({ ...q, bucket })]));
    const wanted: Array<{ bucket: number; value: string }> = [];
    members.forEach((values, i) => {
      for (const value of (values as string[] | null) ?? []) wanted.push({ bucket: buckets[i]!, value });
    });
    const hashes = await this.pipelined(wanted.map((w) => ['hgetall', `${this.bucketKey({ ...q, bucket: w.bucket })}:${w.value}`]));
    return wanted
      .map((w, i) => ({ resolution: q.resolution, bucket: w.bucket, dimension: q.dimension, value: w.value, counts: toCounts(hashes[i] as Record<string, string> | null) }))
      .sort((a, b) => a.bucket - b.bucket || (a.value < b.value ? -1 : 1));
  }

  /** Redis expires the buckets itself. */
  async prune(): Promise<void> {}

  /** The connection belongs to whoever opened it. */
  async close(): Promise<void> {}

  private async pipelined(commands: Array<[string, string]>): Promise<unknown[]> {
    if (commands.length === 0) return [];
    const results = (await this.redis.pipeline(commands).exec()) ?? [];
    return results.map(([err, value]) => (err ? null : value));
  }
}

function toCounts(hash: Record<string, string> | null): HistoryCounts {
  const counts = emptyCounts();
  if (!hash) return counts;
  for (const s of SCALARS) counts[s] = Number(hash[s] ?? 0);
  for (let i = 0; i < LATENCY_BUCKETS; i++) {
    counts.ttfb[i] = Number(hash[`ttfb${i}`] ?? 0);
    counts.total[i] = Number(hash[`total${i}`] ?? 0);
  }
  return counts;
}
