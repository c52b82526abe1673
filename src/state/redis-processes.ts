import type { Redis } from 'ioredis';
import { byStart, parseBeat, type ProcessBeat, type ProcessRegister } from './processes.js';

/**
 * KEYS[1] hash id → beat, KEYS[2] sorted set id by seenAt; ARGV id, beat, seenAt,
 * forgetBefore. Sets the beat, drops those not seen since forgetBefore, and lets both keys
 * expire once no process has beaten for as long.
 */
const BEAT = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
local gone = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
if #gone > 0 then
  redis.call('HDEL', KEYS[1], unpack(gone))
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
end
local ttl = math.max(1, tonumber(ARGV[3]) - tonumber(ARGV[4]))
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
`;

/** The register in Redis, shared by every replica (and every replica's workers, through its primary). */
export class RedisProcesses implements ProcessRegister {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  get #beats(): string {
    return `${this.prefix}processes`;
  }

  get #seenAt(): string {
    return `${this.prefix}processes:seen`;
  }

  async beat(beat: ProcessBeat, forgetBefore: number): Promise<void> {
    await this.redis.eval(BEAT, 2, this.#beats, this.#seenAt, beat.id, JSON.stringify(beat), beat.seenAt, forgetBefore);
  }

  async seen(since: number): Promise<ProcessBeat[]> {
    const stored = await this.redis.hgetall(this.#beats);
    return Object.values(stored).flatMap((t) => parseBeat(t) ?? []).filter((b) => b.seenAt >= since).sort(byStart);
  }

  async leave(id: string): Promise<void> {
    await this.redis.multi().hdel(this.#beats, id).zrem(this.#seenAt, id).exec();
  }
}
