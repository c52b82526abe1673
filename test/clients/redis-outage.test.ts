/**
 * Client limits with Redis unreachable: the replica keeps serving under its own counts,
 * says so once, and adds what it spent meanwhile to Redis's counts when Redis is back.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisBackend } from '../../src/clients/redis-backend.js';
import type { ClientRecord } from '../../src/clients/client-record.js';
import { systemClock } from '../../src/runtime/clock.js';
import { HAVE_REDIS, startRedis, type RedisServer } from '../support/redis.js';

const client = (limits: ClientRecord['limits']): ClientRecord => ({ id: 'cl_outage', name: 'outage', keyHash: 'x', keyTail: 'abcd', models: null, limits, expiresAt: null, disabled: false, createdAt: 0, updatedAt: 0 });

let redis: RedisServer | undefined;
let backend: RedisBackend | undefined;
afterAll(async () => {
  await backend?.close();
  await redis?.stop();
});

describe.runIf(HAVE_REDIS)('client limits without Redis', () => {
  it('serve under local counts, log once, catch up', async () => {
    redis = await startRedis({ persistentDir: mkdtempSync(join(tmpdir(), 'd2a-redis-')) });
    const errors: string[] = [];
    const warnings: string[] = [];
    backend = await RedisBackend.open({ url: redis.url, prefix: 'outage:', clock: systemClock, log: { error: (_o, m) => errors.push(m), warn: (_o, m) => warnings.push(m) } });
    const c = client({ rpm: 5, tokens_per_day: 1000 });
    expect(await backend.admit(c, Date.now())).toBeUndefined();
    backend.finish(c.id, 100, Date.now());
    // The finish reaches Redis on its own; it must be there before Redis goes away.
    await expect.poll(async () => (await backend!.usage([c.id], Date.now())).get(c.id)?.today.tokens).toBe(100);

    await redis.stop();
    // Served while Redis is gone, and limited by what this replica counted (1 + 4 = rpm 5).
    const verdicts = [];
    for (let i = 0; i < 6; i++) verdicts.push(await backend.admit(c, Date.now()));
    expect(verdicts.slice(0, 4)).toEqual([undefined, undefined, undefined, undefined]);
    expect(verdicts[4]).toMatchObject({ limit: 'rpm', value: 5 });
    for (let i = 0; i < 4; i++) backend.finish(c.id, 50, Date.now());
    expect(errors).toHaveLength(1);

    await redis.restart();
    await expect.poll(() => warnings.length, { timeout: 10_000 }).toBe(1);
    const usage = (await backend.usage([c.id], Date.now())).get(c.id)!;
    expect(usage.today).toEqual({ requests: 5, tokens: 300 });
    expect(errors).toHaveLength(1);
  }, 30_000);
});
