import type { Redis } from 'ioredis';
import { LATENCY_BUCKETS, RESOLUTIONS, SCALARS, emptyCounts, type HistoryCounts, type HistoryRow, type Resolution } from './counts.js';
import { ERROR_DIMENSIONS, RETENTION_MS, type ErrorDimension, type HistoryQuery, type HistoryStore, type LastErrorEntry } from './history-store.js';
import type { LastError } from '../web/status-wire.js';

/** Most buckets one read may cover (7 days of hours, 2 days of minutes fit). */
const MAX_BUCKETS = 3000;

/**
 * Sets each (value, at, error) triple of ARGV (after the TTL in seconds) in the hash KEYS[1]
 * unless the hash holds a later error for the value; the stored error is `[at,status,code]`.
 */
const KEEP_LAST_ERRORS = `
for i = 2, #ARGV, 3 do
  local stored = redis.call('HGET', KEYS[1], ARGV[i])
  if not stored or tonumber(string.match(stored, '^%[(%d+)')) < tonumber(ARGV[i + 1]) then
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 2])
  end
end
redis.call('EXPIRE', KEYS[1], ARGV[1])
`;

/**
 * History in Redis, shared by replicas: one hash of counters per bucket and dimension value
 * (HINCRBY, so replicas add up), a set of the values seen per bucket and dimension, both
 * expiring with their resolution's retention: Redis prunes by itself. Last errors are one
 * hash per dimension, compared and set by a script so that the newest wins across replicas.
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

  async keepLastErrors(entries: readonly LastErrorEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const ttl = Math.ceil(this.retention.hour / 1000);
    const multi = this.redis.multi();
    for (const dimension of ERROR_DIMENSIONS) {
      const args = entries.filter((e) => e.dimension === dimension).flatMap((e) => [e.value, e.error.at, JSON.stringify([e.error.at, e.error.status, e.error.code ?? null])]);
      if (args.length > 0) multi.eval(KEEP_LAST_ERRORS, 1, this.lastErrorKey(dimension), ttl, ...args);
    }
    await multi.exec();
  }

  async lastErrors(dimension: ErrorDimension): Promise<Map<string, LastError>> {
    const stored = await this.redis.hgetall(this.lastErrorKey(dimension));
    const out = new Map<string, LastError>();
    for (const [value, text] of Object.entries(stored)) {
      const error = parseLastError(text);
      if (error) out.set(value, error);
    }
    return out;
  }

  private lastErrorKey(dimension: ErrorDimension): string {
    return `${this.prefix}history:last-error:${dimension}`;
  }

  /**
   * Redis expires the buckets itself, and a dimension's last errors once none was written for
   * the hour retention (their number is bounded by the routes and models).
   */
  async prune(): Promise<void> {}

  /** The connection belongs to whoever opened it. */
  async close(): Promise<void> {}

  private async pipelined(commands: Array<[string, string]>): Promise<unknown[]> {
    if (commands.length === 0) return [];
    const results = (await this.redis.pipeline(commands).exec()) ?? [];
    return results.map(([err, value]) => (err ? null : value));
  }
}

function parseLastError(text: string): LastError | undefined {
  try {
    const [at, status, code] = JSON.parse(text) as unknown[];
    if (typeof at !== 'number' || typeof status !== 'number') return undefined;
    return { at, status, code: typeof code === 'string' ? code : undefined };
  } catch {
    return undefined;
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
