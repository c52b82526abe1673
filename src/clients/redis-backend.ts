import type { Redis } from 'ioredis';
import { systemClock, type Clock } from '../runtime/clock.js';
import { randomBase62 } from '../runtime/secret.js';
import { failFastRedis } from '../state/redis-connection.js';
import { nextUtcDay, nextUtcMonth, utcDayStart, utcMonthStart } from './calendar.js';
import type { ClientRecord, LimitName } from './client-record.js';
import type { LimitBackend } from './limit-backend.js';
import { LocalLimits, type ClientUsageNow } from './local-limits.js';
import type { Refusal } from './refusal.js';
import { ADMIT, FINISH, USAGE } from './redis-limit-scripts.js';

/** How long a request holds its in-flight slot if its replica never says it ended. */
const IN_FLIGHT_LEASE_MS = 30 * 60_000;
const COMMAND_TIMEOUT_MS = 1_000;
const CONNECT_WAIT_MS = 2_000;
/** How often a replica counting locally tries Redis again while the connection looks up. */
const RETRY_MS = 5_000;

type Scripts = Redis & {
  clientAdmit(...args: Array<string | number>): Promise<[string, number, number] | null>;
  clientFinish(...args: Array<string | number>): Promise<null>;
  clientUsage(...args: Array<string | number>): Promise<number[]>;
};

interface RedisBackendOptions {
  url: string;
  prefix: string;
  log: { error(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  clock: Clock;
}

/** Usage spent while Redis was unreachable, added to Redis's counts when it is back. */
interface Owed {
  id: string;
  day: number;
  month: number;
  requests: number;
  tokens: number;
}

/**
 * Client limits across replicas, counted in Redis by Lua scripts (one round trip per
 * admission). Every replica also counts its own traffic locally: with Redis unreachable it
 * keeps serving under those local counts (logged once), and adds what it spent meanwhile
 * to Redis's counts when Redis answers again.
 */
export class RedisBackend implements LimitBackend {
  readonly local = new LocalLimits();
  /** This replica's requests in flight per client: the Redis member of each, or null when admitted locally. */
  readonly #held = new Map<string, Array<string | null>>();
  readonly #owed = new Map<string, Owed>();
  readonly #replica = randomBase62(10);
  #seq = 0;
  #down = false;
  #downSince = 0;
  #catchingUp = false;

  private constructor(
    private readonly redis: Scripts,
    private readonly options: RedisBackendOptions,
  ) {
    redis.on('ready', () => void this.#catchUp());
  }

  static async open(options: RedisBackendOptions): Promise<RedisBackend> {
    const redis = failFastRedis(options.url, COMMAND_TIMEOUT_MS) as Scripts;
    redis.defineCommand('clientAdmit', { numberOfKeys: 4, lua: ADMIT });
    redis.defineCommand('clientFinish', { numberOfKeys: 4, lua: FINISH });
    redis.defineCommand('clientUsage', { numberOfKeys: 4, lua: USAGE });
    // Errors surface on the commands, and an outage is logged once (#fallBack).
    redis.on('error', () => undefined);
    const backend = new RedisBackend(redis, options);
    // A short wait for the first connection, so a start beside a healthy Redis is not an outage.
    const stopWaiting = new AbortController();
    await Promise.race([
      new Promise<void>((resolve) => redis.once('ready', () => resolve())),
      // Real time: this waits on the network, whatever clock the counts use.
      systemClock.sleep(CONNECT_WAIT_MS, stopWaiting.signal).catch(() => undefined),
    ]);
    stopWaiting.abort();
    return backend;
  }

  #keys(id: string, now: number): string[] {
    const p = `${this.options.prefix}client:${id}:`;
    return [`${p}sec`, `${p}day:${utcDayStart(now)}`, `${p}month:${utcMonthStart(now)}`, `${p}inflight`];
  }

  async admit(client: ClientRecord, now: number): Promise<Refusal | undefined> {
    if (!this.#down && this.redis.status !== 'ready') this.#fallBack(new Error(`Redis connection ${this.redis.status}`));
    // A command that failed on a connection that stayed up (a timeout): try Redis again now and then.
    if (this.#down && this.redis.status === 'ready' && now - this.#downSince >= RETRY_MS) {
      this.#downSince = now;
      void this.#catchUp();
    }
    if (!this.#down) {
      const member = `${this.#replica}:${++this.#seq}`;
      const l = client.limits;
      try {
        const refused = await this.redis.clientAdmit(...this.#keys(client.id, now), now, member, IN_FLIGHT_LEASE_MS, l.rpm ?? -1, l.tpm ?? -1, l.tokens_per_day ?? -1, l.tokens_per_month ?? -1, l.concurrency ?? -1, nextUtcDay(now), nextUtcMonth(now));
        if (refused) return { limit: refused[0] as LimitName, value: Number(refused[1]), retryAfterMs: Number(refused[2]) };
        this.local.count(client.id, now);
        this.#hold(client.id, member);
        return undefined;
      } catch (err) {
        this.#fallBack(err);
      }
    }
    const refusal = this.local.admit(client.id, client.limits, now);
    if (!refusal) {
      this.#hold(client.id, null);
      this.#owe(client.id, now, 1, 0);
    }
    return refusal;
  }

  finish(id: string, tokens: number, now: number): void {
    this.local.finish(id, tokens, now);
    const member = this.#held.get(id)?.shift();
    if (member === undefined || member === null || this.#down) {
      this.#owe(id, now, 0, tokens);
      if (member) void this.redis.zrem(this.#keys(id, now)[3]!, member).catch(() => undefined);
      // Admitted while Redis was away, ending after it came back: its tokens go there now.
      if (!this.#down) void this.#catchUp();
      return;
    }
    this.redis.clientFinish(...this.#keys(id, now), now, member, tokens).catch((err: unknown) => {
      this.#fallBack(err);
      this.#owe(id, now, 0, tokens);
    });
  }

  async usage(ids: readonly string[], now: number): Promise<Map<string, ClientUsageNow>> {
    const out = new Map<string, ClientUsageNow>();
    if (!this.#down && this.redis.status === 'ready' && ids.length > 0) {
      try {
        const pipeline = this.redis.pipeline();
        for (const id of ids) (pipeline as unknown as Scripts).clientUsage(...this.#keys(id, now), now);
        const results = (await pipeline.exec()) ?? [];
        results.forEach(([err, r], i) => {
          if (err || !Array.isArray(r)) return;
          const n = (r as unknown[]).map(Number);
          out.set(ids[i]!, { minute: { requests: n[0]!, tokens: n[1]! }, today: { requests: n[2]!, tokens: n[3]! }, month: { requests: n[4]!, tokens: n[5]! }, in_flight: n[6]!, last_used_at: n[7]! < 0 ? null : n[7]! });
        });
      } catch (err) {
        this.#fallBack(err);
      }
    }
    for (const id of ids) if (!out.has(id)) out.set(id, this.local.usage(id, now));
    return out;
  }

  forget(id: string): void {
    this.local.forget(id);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  #hold(id: string, member: string | null): void {
    let held = this.#held.get(id);
    if (!held) this.#held.set(id, (held = []));
    held.push(member);
  }

  #owe(id: string, now: number, requests: number, tokens: number): void {
    const day = utcDayStart(now);
    const key = `${id}\u0000${day}`;
    const owed = this.#owed.get(key) ?? { id, day, month: utcMonthStart(now), requests: 0, tokens: 0 };
    owed.requests += requests;
    owed.tokens += tokens;
    this.#owed.set(key, owed);
  }

  #fallBack(err: unknown): void {
    if (this.#down) return;
    this.#down = true;
    this.#downSince = this.options.clock.now();
    this.options.log.error({ err: err instanceof Error ? err.message : String(err) }, 'client limits: Redis unreachable; counting in this replica until it is back');
  }

  /** Redis answers again: what this replica spent meanwhile joins the shared counts. */
  async #catchUp(): Promise<void> {
    if (this.#catchingUp) return;
    this.#catchingUp = true;
    const owed = [...this.#owed.values()];
    this.#owed.clear();
    try {
      if (owed.length > 0) {
        const multi = this.redis.multi();
        for (const o of owed) {
          const p = `${this.options.prefix}client:${o.id}:`;
          for (const [key, ttl] of [[`${p}day:${o.day}`, 3 * 86400], [`${p}month:${o.month}`, 40 * 86400]] as const) {
            if (o.requests) multi.hincrby(key, 'r', o.requests);
            if (o.tokens) multi.hincrby(key, 't', o.tokens);
            multi.expire(key, ttl);
          }
        }
        await multi.exec();
      }
      if (this.#down) this.options.log.warn({ clients: new Set(owed.map((o) => o.id)).size }, 'client limits: Redis reachable again; usage spent meanwhile added');
      this.#down = false;
    } catch {
      for (const o of owed) this.#owe(o.id, o.day, o.requests, o.tokens);
    } finally {
      this.#catchingUp = false;
    }
  }
}
