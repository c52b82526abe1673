import type { RequestRecord } from '../observability/request-record.js';
import type { Clock } from '../runtime/clock.js';
import { every, type Interval } from '../runtime/interval.js';
import { addCounts, bucketStart, emptyCounts, latencyBucket, type Dimension, type HistoryCounts, type HistoryRow } from './counts.js';
import { ERROR_DIMENSIONS, lastErrorMaps, type HistoryStore, type LastErrorEntry } from './history-store.js';
import { usageKey } from '../clients/usage-key.js';

export interface RecorderLog {
  error(obj: object, msg: string): void;
}

const PRUNE_EVERY_MS = 3_600_000;

/**
 * Folds finished requests into per-minute rows in memory and hands them to the history
 * store in one batch every `flushMs` (off the request path), each also added to its hour,
 * with the latest error of each client route, upstream endpoint and model. A failed write keeps the rows and
 * errors for the next flush.
 */
export class HistoryRecorder {
  /**
   * Pending minute rows by minute, dimension and value: a request finds its rows by the
   * strings it already holds (route, model, key), without building a key string per row.
   */
  readonly #pending = new Map<number, Map<Dimension, Map<string, HistoryRow>>>();
  /** The latest error of each route, upstream endpoint and model since the last flush. */
  readonly #lastErrors = lastErrorMaps();
  readonly #timer: Interval;
  #lastPrune = 0;
  #failing = false;

  constructor(
    private readonly store: HistoryStore,
    private readonly clock: Clock,
    private readonly log: RecorderLog,
    flushMs: number,
  ) {
    this.#timer = every(flushMs, () => void this.flush());
  }

  observe(r: RequestRecord): void {
    const at = r.endedAt ?? r.startedAt;
    const bucket = bucketStart(at, 'minute');
    const counts = this.#row(bucket, 'all', '');
    this.#count(counts, r);
    this.#count(this.#row(bucket, 'route', r.route), r);
    if (r.endpoint !== undefined) this.#count(this.#row(bucket, 'endpoint', r.endpoint), r);
    if (r.model !== undefined) this.#count(this.#row(bucket, 'model', r.model), r);
    if (r.key !== undefined) this.#count(this.#row(bucket, 'key', r.key), r, false);
    if (r.client !== undefined && r.admitted) this.#count(this.#row(bucket, 'client', usageKey(r.client.id, r.model)), r, false);
    for (const a of r.attempts) if (a.failover !== undefined) this.#row(bucket, 'key', a.key).failovers += 1;
    if (r.status >= 400) {
      const error = { at, status: r.status, code: r.errorCode };
      this.#lastErrors.route.set(r.route, error);
      if (r.endpoint !== undefined) this.#lastErrors.endpoint.set(r.endpoint, error);
      if (r.model !== undefined) this.#lastErrors.model.set(r.model, error);
    }
  }

  /** Writes what is pending (minute rows and their hours, last errors); resolves when written or kept for later. */
  async flush(): Promise<void> {
    await Promise.all([this.#flushRows(), this.#flushLastErrors()]);
  }

  async #flushRows(): Promise<void> {
    if (this.#pending.size === 0) return;
    const minutes: HistoryRow[] = [];
    for (const dimensions of this.#pending.values()) for (const rows of dimensions.values()) minutes.push(...rows.values());
    this.#pending.clear();
    const hours = new Map<string, HistoryRow>();
    for (const m of minutes) {
      const bucket = bucketStart(m.bucket, 'hour');
      const key = `${bucket}\u0000${m.dimension}\u0000${m.value}`;
      const hour = hours.get(key);
      if (hour) addCounts(hour.counts, m.counts);
      else hours.set(key, { ...m, resolution: 'hour', bucket, counts: addCounts(emptyCounts(), m.counts) });
    }
    try {
      await this.store.add([...minutes, ...hours.values()]);
      this.#failing = false;
      const now = this.clock.now();
      if (now - this.#lastPrune >= PRUNE_EVERY_MS) {
        this.#lastPrune = now;
        await this.store.prune(now);
      }
    } catch (err) {
      this.#failed(err);
      for (const m of minutes) addCounts(this.#row(m.bucket, m.dimension, m.value), m.counts);
    }
  }

  async #flushLastErrors(): Promise<void> {
    const entries: LastErrorEntry[] = [];
    for (const dimension of ERROR_DIMENSIONS) {
      for (const [value, error] of this.#lastErrors[dimension]) entries.push({ dimension, value, error });
      this.#lastErrors[dimension].clear();
    }
    if (entries.length === 0) return;
    try {
      await this.store.keepLastErrors(entries);
    } catch (err) {
      this.#failed(err);
      // An error seen since is newer than the one that failed to be written.
      for (const { dimension, value, error } of entries) if (!this.#lastErrors[dimension].has(value)) this.#lastErrors[dimension].set(value, error);
    }
  }

  /** Logged once until a write succeeds again. */
  #failed(err: unknown): void {
    if (!this.#failing) this.log.error({ err: err instanceof Error ? err.message : String(err) }, 'history write failed; will retry');
    this.#failing = true;
  }

  async close(): Promise<void> {
    this.#timer.stop();
    await this.flush();
  }

  #row(bucket: number, dimension: Dimension, value: string): HistoryCounts {
    let dimensions = this.#pending.get(bucket);
    if (dimensions === undefined) this.#pending.set(bucket, (dimensions = new Map()));
    let rows = dimensions.get(dimension);
    if (rows === undefined) dimensions.set(dimension, (rows = new Map()));
    let row = rows.get(value);
    if (row === undefined) rows.set(value, (row = { resolution: 'minute', bucket, dimension, value, counts: emptyCounts() }));
    return row.counts;
  }

  /** Adds one request; a key's row counts only its own failovers (added per attempt in observe). */
  #count(c: HistoryCounts, r: RequestRecord, withFailovers = true): void {
    c.requests += 1;
    if (r.status >= 500) c.errors5xx += 1;
    else if (r.status >= 400) c.errors4xx += 1;
    if (withFailovers) for (const a of r.attempts) if (a.failover !== undefined) c.failovers += 1;
    c.tokensIn += r.tokens.input;
    c.tokensOut += r.tokens.output;
    c.tokensCached += r.tokens.cached;
    if (r.streamOutcome === 'upstream_cut' || r.streamOutcome === 'upstream_error') c.streamsCut += 1;
    if (r.firstByteAt !== undefined) c.ttfb[latencyBucket(r.firstByteAt - r.startedAt)]! += 1;
    if (r.endedAt !== undefined) c.total[latencyBucket(r.endedAt - r.startedAt)]! += 1;
  }
}
