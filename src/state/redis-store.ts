import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Clock } from '../runtime/clock.js';
import { every, type Interval } from '../runtime/interval.js';
import { byFingerprint, copyKeyRecord } from './memory-store.js';
import type { StoreLog } from './sqlite-store.js';
import { emptyKeyRecord, isSharedResult, type KeyRecord, type KeyRecordDraft, type KeyStatus, type StateStore } from './store.js';

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
const KEY_STATUSES: readonly KeyStatus[] = ['active', 'cooling', 'disabled', 'retired'];
const COUNTERS = ['success', 'failure', 'tokensIn', 'tokensOut', 'tokensCached'] as const;
/** Hash field of one `byStatus` counter. */
const BY_STATUS = 's:';

/**
 * Writes a status only if it is at least as new as the one stored (several replicas may
 * change the same key), and tells the other replicas when it did.
 * KEYS[1] key hash; ARGV: changedAt (-1 when none), status, coolingUntil, reason, channel, message.
 */
const STATUS_IF_NEWER = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'changedAt') or '-1')
if tonumber(ARGV[1]) < stored then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[2], 'changedAt', ARGV[1])
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], 'coolingUntil') else redis.call('HSET', KEYS[1], 'coolingUntil', ARGV[3]) end
if ARGV[4] == '' then redis.call('HDEL', KEYS[1], 'reason') else redis.call('HSET', KEYS[1], 'reason', ARGV[4]) end
redis.call('PUBLISH', ARGV[5], ARGV[6])
return 1
`;

/** KEYS[1] key hash; ARGV[1] lastUsed: kept only if later than the stored one. */
const LAST_USED_IF_LATER = `
local stored = tonumber(redis.call('HGET', KEYS[1], 'lastUsed') or '-1')
if tonumber(ARGV[1]) > stored then redis.call('HSET', KEYS[1], 'lastUsed', ARGV[1]) end
return 0
`;

interface StatusMessage {
  from: string;
  record: Pick<KeyRecord, 'fingerprint' | 'status' | 'coolingUntil' | 'reason' | 'changedAt'>;
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
 * Key state in Redis, for several gateway replicas behind a load balancer. Each key is one
 * hash. Replicas add up: a flush writes the *difference* between a key's latest record and
 * the one this replica last wrote (HINCRBY), so counters from every replica sum instead of
 * overwriting each other; a status is written only when this replica changed it, and only
 * if it is not older than the stored one, and is then pushed to the other replicas
 * (`onRemoteChange`). Writes are queued and batched like SQLite's, off the request path.
 */
export class RedisStore implements StateStore {
  readonly kind = 'redis' as const;
  readonly #replica = randomUUID();
  /** This replica's latest record of each key, not yet written. */
  readonly #pending = new Map<string, KeyRecord | 'delete'>();
  /** What this replica last wrote (or loaded) of each key: the base of the next difference. */
  readonly #written = new Map<string, KeyRecord>();
  readonly #listeners: Array<(record: KeyRecord) => void> = [];
  readonly #reloaders: Array<() => void> = [];
  readonly #timer: Interval;
  #flushing: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    private readonly redis: RedisWithScripts,
    private readonly subscriber: Redis,
    private readonly options: RedisStoreOptions,
  ) {
    this.#timer = every(options.flushIntervalMs ?? DEFAULT_FLUSH_INTERVAL_MS, () => void this.flush());
  }

  /** Connects (both the command and the subscriber connection) and starts listening for other replicas. */
  static async open(options: RedisStoreOptions): Promise<RedisStore> {
    const redis = new Redis(options.url, { lazyConnect: true, maxRetriesPerRequest: 2 }) as RedisWithScripts;
    redis.defineCommand('statusIfNewer', { numberOfKeys: 1, lua: STATUS_IF_NEWER });
    redis.defineCommand('lastUsedIfLater', { numberOfKeys: 1, lua: LAST_USED_IF_LATER });
    const subscriber = redis.duplicate();
    // ioredis reconnects by itself; its errors are logged here instead of crashing the process.
    for (const connection of [redis, subscriber]) connection.on('error', (err: Error) => options.log.warn({ err: err.message }, 'redis connection error'));
    try {
      await redis.connect();
      await subscriber.connect();
    } catch (err) {
      redis.disconnect();
      subscriber.disconnect();
      throw new Error(`cannot reach Redis at ${redactUrl(options.url)}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const store = new RedisStore(redis, subscriber, options);
    await subscriber.subscribe(store.#channel);
    subscriber.on('message', (_channel: string, message: string) => store.#receive(message));
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
    if (!KEY_STATUSES.includes(parsed.record.status)) return;
    const record = { ...emptyKeyRecord(parsed.record.fingerprint), ...parsed.record };
    // Redis already holds this status: when our pool takes it over, saving it is no change to write again.
    const written = this.#written.get(record.fingerprint);
    if (written && (written.changedAt ?? -1) <= (record.changedAt ?? -1)) this.#written.set(record.fingerprint, { ...written, ...parsed.record });
    for (const listener of this.#listeners) listener(record);
  }

  onRemoteChange(listener: (record: KeyRecord) => void): void {
    this.#listeners.push(listener);
  }

  onReload(listener: () => void): void {
    this.#reloaders.push(listener);
  }

  /** Tells the other replicas to reload their key lists. */
  async #announceReload(): Promise<void> {
    const message: ReloadMessage = { from: this.#replica, reload: true };
    await this.redis.publish(this.#channel, JSON.stringify(message));
  }

  async loadKeys(): Promise<KeyRecord[]> {
    const fingerprints = await this.redis.smembers(this.#index);
    const pipeline = this.redis.pipeline();
    for (const fp of fingerprints) pipeline.hgetall(this.#hash(fp));
    const rows = (await pipeline.exec()) ?? [];
    const byKey = new Map<string, KeyRecord>();
    fingerprints.forEach((fp, i) => {
      const [err, fields] = rows[i] ?? [];
      if (!err && fields && typeof fields === 'object') byKey.set(fp, recordOf(fp, fields as Record<string, string>));
    });
    for (const [fp, record] of byKey) if (!this.#written.has(fp)) this.#written.set(fp, copyKeyRecord(record));
    // Queued writes are newer than Redis: answer as if they were already written.
    for (const [fp, write] of this.#pending) {
      if (write === 'delete') byKey.delete(fp);
      else byKey.set(fp, withDifference(byKey.get(fp) ?? emptyKeyRecord(fp), write, this.#written.get(fp)));
    }
    return [...byKey.values()].sort(byFingerprint);
  }

  saveKey(record: KeyRecord): void {
    if (this.#closed) return this.options.log.warn({ fingerprint: record.fingerprint }, 'state store is closed; key record dropped');
    this.#pending.set(record.fingerprint, record);
  }

  deleteKey(fingerprint: string): void {
    if (this.#closed) return;
    this.#pending.set(fingerprint, 'delete');
  }

  async loadAddedKeys(): Promise<string[]> {
    return this.redis.zrange(`${this.options.prefix}added-keys`, '0', '-1');
  }

  async addKey(secret: string): Promise<void> {
    // NX keeps the first time, so a re-added key keeps its place in the order.
    await this.redis.zadd(`${this.options.prefix}added-keys`, 'NX', this.options.clock.now(), secret);
    await this.#announceReload();
  }

  async removeAddedKey(secret: string): Promise<void> {
    await this.redis.zrem(`${this.options.prefix}added-keys`, secret);
    await this.#announceReload();
  }

  async getValue(name: string): Promise<string | undefined> {
    return (await this.redis.hget(`${this.options.prefix}values`, name)) ?? undefined;
  }

  async setValue(name: string, value: string): Promise<void> {
    await this.redis.hset(`${this.options.prefix}values`, name, value);
    // Named values include the list of keys removed through the admin API.
    if (!isSharedResult(name)) await this.#announceReload();
  }

  /** SET NX with an expiry: Redis itself drops the claim when it runs out. */
  async claim(name: string, until: number, now: number): Promise<boolean> {
    const ms = Math.max(1, Math.round(until - now));
    return (await this.redis.set(`${this.options.prefix}claim:${name}`, String(until), 'PX', ms, 'NX')) === 'OK';
  }

  /** Writes the queue in one pipeline; one flush at a time, so differences never overlap. */
  flush(): Promise<void> {
    this.#flushing = this.#flushing.then(() => this.#flushNow());
    return this.#flushing;
  }

  async #flushNow(): Promise<void> {
    if (this.#pending.size === 0 || this.redis.status === 'end') return;
    const batch = [...this.#pending];
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
      // Put back what is not newer in the queue; the next flush tries again.
      for (const [fp, write] of batch) if (!this.#pending.has(fp)) this.#pending.set(fp, write);
      this.options.log.error({ err: err instanceof Error ? err.message : String(err), pending: batch.length }, 'state store flush failed; will retry');
      return;
    }
    for (const [fp, write] of batch) {
      if (write === 'delete') this.#written.delete(fp);
      else this.#written.set(fp, write);
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#timer.stop();
    await this.flush();
    if (this.#pending.size > 0) this.options.log.error({ pending: this.#pending.size }, 'state store closed with unwritten key records');
    this.subscriber.disconnect();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

function statusOf(r: KeyRecord): StatusMessage['record'] {
  return { fingerprint: r.fingerprint, status: r.status, coolingUntil: r.coolingUntil, reason: r.reason, changedAt: r.changedAt };
}

function statusChanged(a: KeyRecord, b: KeyRecord): boolean {
  return a.status !== b.status || a.coolingUntil !== b.coolingUntil || a.reason !== b.reason || a.changedAt !== b.changedAt;
}

/** `stored` plus what this replica has counted since `base`, with this replica's latest status fields. */
function withDifference(stored: KeyRecord, latest: KeyRecord, base: KeyRecord | undefined): KeyRecord {
  const from = base ?? emptyKeyRecord(latest.fingerprint);
  const out: KeyRecordDraft = { ...latest, byStatus: { ...stored.byStatus } };
  for (const field of COUNTERS) out[field] = stored[field] + latest[field] - from[field];
  for (const [code, n] of Object.entries(latest.byStatus)) out.byStatus[code] = (out.byStatus[code] ?? 0) + n - (from.byStatus[code] ?? 0);
  if (!statusChanged(from, latest)) Object.assign(out, statusOf(stored));
  return out;
}

/** A key hash → its record (counters absent from the hash are 0). */
function recordOf(fingerprint: string, fields: Record<string, string>): KeyRecord {
  const record = emptyKeyRecord(fingerprint);
  const num = (name: string) => (fields[name] === undefined ? undefined : Number(fields[name]));
  for (const field of COUNTERS) record[field] = num(field) ?? 0;
  for (const [name, value] of Object.entries(fields)) if (name.startsWith(BY_STATUS)) record.byStatus[name.slice(BY_STATUS.length)] = Number(value);
  const status = fields.status as KeyStatus | undefined;
  if (status !== undefined && KEY_STATUSES.includes(status)) record.status = status;
  const changedAt = num('changedAt');
  if (changedAt !== undefined && changedAt >= 0) record.changedAt = changedAt;
  const coolingUntil = num('coolingUntil');
  if (coolingUntil !== undefined) record.coolingUntil = coolingUntil;
  if (fields.reason !== undefined) record.reason = fields.reason;
  const lastUsed = num('lastUsed');
  if (lastUsed !== undefined) record.lastUsed = lastUsed;
  if (fields.lastError !== undefined) record.lastError = fields.lastError;
  return record;
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
