import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '../runtime/clock.js';
import { every, type Interval } from '../runtime/interval.js';
import { failFastRedis } from './redis-connection.js';
import { byFingerprint } from './memory-store.js';
import { BY_STATUS, COUNTERS, KEY_STATUSES, LAST_USED_IF_LATER, STATUS_IF_NEWER, recordOf, statusChanged, statusOf, withDifference, type StatusFields } from './redis-records.js';
import type { StoreLog } from './sqlite-store.js';
import { emptyKeyRecord, isLastingChange, isSharedResult, type KeyRecord, type StateStore, type StoreHealth } from './store.js';
import { storeUnavailable } from './unavailable.js';
import { WriteLag } from './write-lag.js';
import { RedisProcesses } from './redis-processes.js';

export interface RedisStoreOptions {
  url: string;
  /** Prepended to every Redis key and channel, so several gateways can share one server. */
  prefix: string;
  log: StoreLog;
  clock: Clock;
  /** How often queued key records are written; default 1000 ms. */
  flushIntervalMs?: number;
}

const DEFAULT_FLUSH_INTERVAL_MS = 1000;
/** A command Redis does not answer within this fails (the admin API then answers 503). */
const COMMAND_TIMEOUT_MS = 2_000;
/** How long a start waits for Redis before going on degraded. */
const CONNECT_WAIT_MS = 2_000;

/** A hint that a key's status changed; the receiver reads the key from Redis, the source of truth. */
export interface StatusMessage {
  from: string;
  record: StatusFields;
}

/** The key sources changed (a key added or removed through the admin API). */
interface ReloadMessage {
  from: string;
  reload: true;
}

type RedisWithScripts = Redis & {
  statusIfNewer(key: string, changedAt: number, status: string, coolingUntil: string, reason: string, channel: string, message: string): Promise<number>;
  lastUsedIfLater(key: string, lastUsed: number): Promise<number>;
};

/**
 * Key state in Redis, for several gateway replicas behind a load balancer; Redis is the
 * source of truth. Each key is one hash. Replicas add up: a flush writes the *difference*
 * between a key's latest record and the one this replica last wrote (HINCRBY), so counters
 * from every replica sum; a status is written only when this replica changed it, and only if
 * it is not older than the stored one. Pub/sub only hints that a key changed: the receiver
 * reads the key itself. Counters are batched; a lasting status change is sent at once.
 *
 * While Redis is unreachable the replica serves from what it holds (degraded, logged once),
 * keeps its changes queued, and admin commands fail fast with 503. When Redis is back, the
 * replica replays its queue, then reads every key again and reloads its key list.
 */
export class RedisStore implements StateStore {
  readonly kind = 'redis' as const;
  readonly processes: RedisProcesses;
  readonly #replica = randomUUID();
  /** This replica's latest record of each key, not yet written. */
  readonly #pending = new Map<string, KeyRecord | 'delete'>();
  readonly #lag = new WriteLag();
  /** What this replica last wrote (or loaded) of each key: the base of the next difference. */
  readonly #written = new Map<string, KeyRecord>();
  readonly #listeners: Array<(record: KeyRecord) => void> = [];
  readonly #reloaders: Array<() => void> = [];
  readonly #timer: Interval;
  #flushing: Promise<void> = Promise.resolve();
  #closed = false;
  #health: StoreHealth;
  /** Redis answered at least once: before that, reads at start-up answer empty. */
  #everReady = false;
  /** An outage was logged and is not over: the next `ready` resyncs. */
  #down = false;
  /** While open() waits for the first connection. */
  #onFirstReady: (() => void) | undefined;

  private constructor(
    private readonly redis: RedisWithScripts,
    private readonly subscriber: Redis,
    private readonly options: RedisStoreOptions,
  ) {
    this.#health = { state: 'degraded', since: options.clock.now() };
    this.processes = new RedisProcesses(redis, options.prefix);
    this.#timer = every(options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS, () => void this.flush());
  }

  /**
   * Connects and starts listening for other replicas. Never fails for an unreachable Redis:
   * after CONNECT_WAIT_MS the store goes on degraded and catches up once Redis answers.
   */
  static async open(options: RedisStoreOptions): Promise<RedisStore> {
    const redis = failFastRedis(options.url, COMMAND_TIMEOUT_MS, { lazyConnect: true }) as RedisWithScripts;
    redis.defineCommand('statusIfNewer', { numberOfKeys: 1, lua: STATUS_IF_NEWER });
    redis.defineCommand('lastUsedIfLater', { numberOfKeys: 1, lua: LAST_USED_IF_LATER });
    // The subscriber waits for Redis as long as it takes, and resubscribes after a reconnect.
    const subscriber = redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: undefined });
    const store = new RedisStore(redis, subscriber, options);
    // Back only when both connections are: a resync before the subscription is back could
    // miss a hint another replica sends while replaying its own changes.
    for (const connection of [redis, subscriber]) {
      connection.on('ready', () => store.#onReady());
      connection.on('close', () => store.#onDown());
    }
    // ioredis reconnects by itself; an error is logged once per outage (#onDown), not per retry.
    for (const connection of [redis, subscriber]) connection.on('error', (err: Error) => options.log.debug({ err: err.message }, 'redis connection error'));
    subscriber.on('message', (_channel: string, message: string) => store.#receive(message));
    subscriber.connect().catch(() => undefined);
    subscriber.subscribe(store.#channel).catch((err: unknown) => options.log.warn({ err: String(err) }, 'redis subscribe failed'));
    const stopWaiting = new AbortController();
    const first = new Promise<void>((resolve) => {
      store.#onFirstReady = resolve;
      redis.once('error', () => resolve());
      // Real time, whatever clock stamps the records: this waits on the network.
      void systemClock.sleep(CONNECT_WAIT_MS, stopWaiting.signal).then(resolve, resolve);
    });
    redis.connect().catch(() => undefined);
    await first;
    stopWaiting.abort();
    store.#onFirstReady = undefined;
    if (!store.#everReady) store.#onDown();
    return store;
  }

  get #channel(): string {
    return `${this.options.prefix}key-status`;
  }

  #hash(fingerprint: string): string {
    return `${this.options.prefix}key:${fingerprint}`;
  }

  get #index(): string {
    return `${this.options.prefix}keys`;
  }

  health(): StoreHealth {
    return { ...this.#health };
  }

  /** Connection lost (or never made): degraded, logged once per outage. */
  #onDown(): void {
    if (this.#closed || this.#down) return;
    this.#down = true;
    this.#health = { state: 'degraded', since: this.options.clock.now() };
    this.options.log.error({ url: redactUrl(this.options.url) }, 'state store unreachable: serving from what this replica holds until Redis is back');
  }

  #onReady(): void {
    if (this.#closed || this.redis.status !== 'ready' || this.subscriber.status !== 'ready') return;
    this.#everReady = true;
    this.#health = { state: 'ok', since: this.options.clock.now() };
    this.#onFirstReady?.();
    if (!this.#down) return;
    this.#down = false;
    void this.#resync();
  }

  /** Back after an outage: replay this replica's changes, then take every key's state and the key list from Redis. */
  async #resync(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.#channel);
      await this.flush();
      const records = await this.#readAll();
      for (const record of records) this.#adopt(record);
      for (const reload of this.#reloaders) reload();
      this.options.log.warn({ keys: records.length }, 'state store reachable again: changes replayed, key state resynced');
    } catch (err) {
      this.options.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'state store resync failed; the next reconnect tries again');
    }
  }

  /** A key's status as Redis holds it: known as written (no change to send back), and told to the pool. */
  #adopt(stored: KeyRecord): void {
    const fp = stored.fingerprint;
    const written = this.#written.get(fp) ?? emptyKeyRecord(fp);
    if ((written.changedAt ?? -1) <= (stored.changedAt ?? -1)) this.#written.set(fp, { ...written, ...statusOf(stored) });
    const record = { ...emptyKeyRecord(fp), ...statusOf(stored) };
    for (const listener of this.#listeners) listener(record);
  }

  #receive(message: string): void {
    let parsed: StatusMessage | ReloadMessage;
    try {
      parsed = JSON.parse(message) as StatusMessage | ReloadMessage;
    } catch {
      return;
    }
    if (parsed.from === this.#replica) return;
    if ('reload' in parsed) {
      for (const reload of this.#reloaders) reload();
      return;
    }
    const fp = parsed.record.fingerprint;
    if (typeof fp !== 'string' || !KEY_STATUSES.includes(parsed.record.status)) return;
    // A hint only: the key's hash says what its status is now (a missed hint is caught up by the resync).
    this.redis
      .hgetall(this.#hash(fp))
      .then((fields) => this.#adopt(recordOf(fp, fields)))
      .catch(() => undefined);
  }

  onRemoteChange(listener: (record: KeyRecord) => void): void {
    this.#listeners.push(listener);
  }

  onReload(listener: () => void): void {
    this.#reloaders.push(listener);
  }

  /** Every key hash in Redis. */
  async #readAll(): Promise<KeyRecord[]> {
    const fingerprints = await this.redis.smembers(this.#index);
    const pipeline = this.redis.pipeline();
    for (const fp of fingerprints) pipeline.hgetall(this.#hash(fp));
    const rows = (await pipeline.exec()) ?? [];
    const out: KeyRecord[] = [];
    fingerprints.forEach((fp, i) => {
      const [err, fields] = rows[i] ?? [];
      if (!err && fields && typeof fields === 'object') out.push(recordOf(fp, fields as Record<string, string>));
    });
    return out;
  }

  /** Redis's records with this replica's queue applied; degraded, only what this replica holds. */
  async loadKeys(): Promise<KeyRecord[]> {
    // A flush under way has taken its batch out of the queue: read after it, not between.
    await this.#flushing;
    const byKey = new Map<string, KeyRecord>();
    if (this.redis.status === 'ready') {
      try {
        for (const record of await this.#readAll()) byKey.set(record.fingerprint, record);
      } catch (err) {
        this.options.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'state store read failed: starting from what this replica holds');
      }
    }
    for (const [fp, record] of byKey) if (!this.#written.has(fp)) this.#written.set(fp, record);
    for (const [fp, write] of this.#pending) {
      if (write === 'delete') byKey.delete(fp);
      else byKey.set(fp, withDifference(byKey.get(fp) ?? emptyKeyRecord(fp), write, this.#written.get(fp)));
    }
    return [...byKey.values()].sort(byFingerprint);
  }

  saveKey(record: KeyRecord): void {
    if (this.#closed) return this.options.log.warn({ fingerprint: record.fingerprint }, 'state store is closed; key record dropped');
    const queued = this.#pending.get(record.fingerprint);
    const before = queued && queued !== 'delete' ? queued.status : this.#written.get(record.fingerprint)?.status;
    this.#pending.set(record.fingerprint, record);
    this.#lag.queued(this.options.clock.now());
    // Sent now rather than with the next batch: a crash must not bring a retired key back.
    if (isLastingChange(before, record.status)) void this.flush();
  }

  deleteKey(fingerprint: string): void {
    if (this.#closed) return;
    this.#pending.set(fingerprint, 'delete');
    this.#lag.queued(this.options.clock.now());
  }

  writeLagMs(now: number): number {
    return this.#lag.ms(now);
  }

  /** An admin command: 503 at once while Redis is unreachable, or when it does not answer in time. */
  async #command<T>(run: () => Promise<T>): Promise<T> {
    if (this.redis.status !== 'ready') throw storeUnavailable();
    try {
      return await run();
    } catch (err) {
      throw storeUnavailable(err);
    }
  }

  /** Tells the other replicas to reload their key lists. */
  async #announceReload(): Promise<void> {
    const message: ReloadMessage = { from: this.#replica, reload: true };
    await this.redis.publish(this.#channel, JSON.stringify(message));
  }

  async loadAddedKeys(): Promise<string[]> {
    // Started while Redis was down: the added keys join when it is back (the resync reloads).
    if (!this.#everReady) return [];
    return this.#command(() => this.redis.zrange(`${this.options.prefix}added-keys`, '0', '-1'));
  }

  async addKey(secret: string): Promise<void> {
    // NX keeps the first time, so a re-added key keeps its place in the order.
    await this.#command(async () => {
      await this.redis.zadd(`${this.options.prefix}added-keys`, 'NX', this.options.clock.now(), secret);
      await this.#announceReload();
    });
  }

  async removeAddedKey(secret: string): Promise<void> {
    await this.#command(async () => {
      await this.redis.zrem(`${this.options.prefix}added-keys`, secret);
      await this.#announceReload();
    });
  }

  async getValue(name: string): Promise<string | undefined> {
    if (!this.#everReady) return undefined;
    return (await this.#command(() => this.redis.hget(`${this.options.prefix}values`, name))) ?? undefined;
  }

  async setValue(name: string, value: string): Promise<void> {
    await this.#command(async () => {
      await this.redis.hset(`${this.options.prefix}values`, name, value);
      // Named values include the list of keys removed through the admin API.
      if (!isSharedResult(name)) await this.#announceReload();
    });
  }

  /** SET NX with an expiry: Redis itself drops the claim when it runs out. */
  async claim(name: string, until: number, now: number): Promise<boolean> {
    const ms = Math.max(1, Math.round(until - now));
    return this.#command(async () => (await this.redis.set(`${this.options.prefix}claim:${name}`, String(until), 'PX', ms, 'NX')) === 'OK');
  }

  /** Writes the queue in one pipeline; one flush at a time, so differences never overlap. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#flushNow());
    return this.#flushing;
  }

  async #flushNow(): Promise<void> {
    // Unreachable: the queue waits, and the resync replays it.
    if (this.#pending.size === 0 || this.redis.status !== 'ready') return;
    const batch = [...this.#pending];
    const takenAt = this.options.clock.now();
    this.#pending.clear();
    const pipeline = this.redis.pipeline() as ReturnType<Redis['pipeline']> & {
      statusIfNewer: RedisWithScripts['statusIfNewer'];
      lastUsedIfLater: RedisWithScripts['lastUsedIfLater'];
    };
    for (const [fp, write] of batch) {
      const key = this.#hash(fp);
      if (write === 'delete') {
        pipeline.del(key).srem(this.#index, fp);
        continue;
      }
      const before = this.#written.get(fp) ?? emptyKeyRecord(fp);
      pipeline.sadd(this.#index, fp);
      for (const field of COUNTERS) if (write[field] !== before[field]) pipeline.hincrby(key, field, write[field] - before[field]);
      for (const [code, n] of Object.entries(write.byStatus)) {
        const delta = n - (before.byStatus[code] ?? 0);
        if (delta !== 0) pipeline.hincrby(key, BY_STATUS + code, delta);
      }
      if (statusChanged(before, write)) {
        const message: StatusMessage = { from: this.#replica, record: statusOf(write) };
        pipeline.statusIfNewer(key, write.changedAt ?? -1, write.status, String(write.coolingUntil ?? ''), write.reason ?? '', this.#channel, JSON.stringify(message));
      }
      if (write.lastUsed !== undefined && write.lastUsed !== before.lastUsed) pipeline.lastUsedIfLater(key, write.lastUsed);
      if (write.lastError !== undefined && write.lastError !== before.lastError) pipeline.hset(key, 'lastError', write.lastError);
    }
    try {
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([err]) => err !== null)?.[0];
      if (failed) throw failed;
    } catch (err) {
      // Put back what is not newer in the queue; the next flush (or the resync) tries again.
      for (const [fp, write] of batch) if (!this.#pending.has(fp)) this.#pending.set(fp, write);
      if (this.#health.state === 'ok') this.options.log.error({ err: err instanceof Error ? err.message : String(err), pending: batch.length }, 'state store flush failed; will retry');
      return;
    }
    for (const [fp, write] of batch) {
      if (write === 'delete') this.#written.delete(fp);
      else this.#written.set(fp, write);
    }
    this.#lag.committed(this.#pending.size > 0, takenAt);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#timer.stop();
    await this.flush();
    if (this.#pending.size > 0) this.options.log.error({ pending: this.#pending.size }, 'state store closed with unwritten key records');
    this.subscriber.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
    this.redis.disconnect();
  }
}

/** A Redis URL without its password, for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}
