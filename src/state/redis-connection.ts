import { Redis, type RedisOptions } from 'ioredis';

/**
 * A Redis connection for a store whose callers must not stall on an outage: while disconnected
 * a command fails at once (the caller falls back or answers 503), one Redis does not answer
 * fails after `commandTimeoutMs`, and ioredis keeps reconnecting, backing off up to 2 s.
 */
export function failFastRedis(url: string, commandTimeoutMs: number, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: commandTimeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    ...extra,
  });
}
