import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness } from '../support/harness.js';
import { HAVE_REDIS, startRedis, type RedisServer } from '../support/redis.js';

const wrong = (url: string, i: number) => fetch(`${url}/v1/models`, { headers: { authorization: `Bearer wrong-${i}` } });

describe.skipIf(!HAVE_REDIS)('wrong-key limit across replicas (STATE_STORE=redis)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => redis?.stop());

  it('failures counted by one replica limit the address on another', async () => {
    const env = { GATEWAY_API_KEY: 'gw-shared', AUTH_FAILURES_PER_MINUTE: '3', STATE_STORE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: `t:${randomUUID()}:` };
    const a = await startHarness({ env });
    const b = await startHarness({ env });
    try {
      for (let i = 0; i < 3; i++) expect((await wrong(a.url, i)).status).toBe(401);
      const limited = await wrong(b.url, 3);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
