import cluster from 'node:cluster';
import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import { RateLimiterCluster, RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Settings } from '../config/load.js';
import type { Clock } from '../runtime/clock.js';

const WINDOW_SECONDS = 60;
/** Blocked addresses remembered locally; pruned past this many (many addresses, one attacker). */
const MAX_REMEMBERED = 10_000;
/** The cluster limiter's key prefix: unique per limiter across the workers. */
export const CLUSTER_KEY_PREFIX = 'd2a-auth-failures';

/**
 * Wrong keys per client address (admin key and gateway key alike). The count lives in the
 * shared limiter (the primary in WORKERS mode, Redis across replicas); an address found over
 * the limit is also remembered here, so the success path asks nothing of the store.
 */
export class AuthFailureLimiter {
  readonly #blockedUntil = new Map<string, number>();

  constructor(
    private readonly limiter: RateLimiterAbstract,
    private readonly clock: Clock,
    private readonly onClose: () => Promise<void> = async () => undefined,
  ) {}

  /** Seconds this address must still wait, as far as this process knows; undefined: none. */
  blockedFor(address: string): number | undefined {
    const until = this.#blockedUntil.get(address);
    if (until === undefined) return undefined;
    const ms = until - this.clock.now();
    if (ms > 0) return Math.ceil(ms / 1000);
    this.#blockedUntil.delete(address);
    return undefined;
  }

  /** Counts one wrong key; resolves to the seconds to wait when the address is over the limit. */
  async fail(address: string): Promise<number | undefined> {
    try {
      await this.limiter.consume(address);
      return undefined;
    } catch (res) {
      if (!(res instanceof RateLimiterRes)) throw res;
      if (this.#blockedUntil.size >= MAX_REMEMBERED) this.#prune();
      this.#blockedUntil.set(address, this.clock.now() + res.msBeforeNext);
      return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    }
  }

  close(): Promise<void> {
    return this.onClose();
  }

  #prune(): void {
    const now = this.clock.now();
    for (const [address, until] of this.#blockedUntil) if (until <= now) this.#blockedUntil.delete(address);
    if (this.#blockedUntil.size >= MAX_REMEMBERED) this.#blockedUntil.clear();
  }
}

/**
 * The limiter for this process: Redis when the state is shared by replicas (its own
 * connection, under REDIS_PREFIX), the primary's count in WORKERS mode, else memory.
 */
export function createAuthFailureLimiter(settings: Settings, perMinute: number, clock: Clock, log: FastifyBaseLogger): AuthFailureLimiter {
  const options = { points: perMinute, duration: WINDOW_SECONDS };
  if (settings.store === 'redis') {
    const redis = new Redis(settings.redis.url, { maxRetriesPerRequest: 2, enableOfflineQueue: true });
    redis.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error (auth limiter)'));
    const limiter = new RateLimiterRedis({
      ...options,
      storeClient: redis,
      keyPrefix: `${settings.redis.prefix}auth-failures`,
      // Redis down: count in this process rather than let guesses through uncounted.
      insuranceLimiter: new RateLimiterMemory(options),
    });
    return new AuthFailureLimiter(limiter, clock, async () => void redis.disconnect());
  }
  if (cluster.isWorker) return new AuthFailureLimiter(new RateLimiterCluster({ ...options, keyPrefix: CLUSTER_KEY_PREFIX, timeoutMs: 2_000 }), clock);
  return new AuthFailureLimiter(new RateLimiterMemory(options), clock);
}
