/**
 * Client keys, their usage and their limits outlive the process (SQLite), and add up over
 * two replicas sharing Redis: each limit holds for both together, and the usage report of
 * either names everything both served.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';
import { HAVE_REDIS, startRedis, type RedisServer } from '../support/redis.js';
import { ADMIN_KEY, admin, createClient } from './support.js';

const USAGE = { input: 10, output: 5, cached: 0 };
const PER_REQUEST = USAGE.input + USAGE.output;

async function post(h: Harness, key: string): Promise<number> {
  const res = await fetch(`${h.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: MODEL_OF_TYPE.common, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.text();
  return res.status;
}

describe('SQLite: a restart', () => {
  it('keeps the clients, their usage, the day limit and the rolling minute', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd2a-clients-'));
    const env = { ADMIN_KEY, STATE_STORE: 'sqlite', DATA_DIR: dir };
    const first = await startHarness({ env });
    first.fake.setScenario({ text: 'ok', usage: USAGE });
    const daily = await createClient(first, { name: 'daily', limits: { tokens_per_day: PER_REQUEST * 3 } });
    const minute = await createClient(first, { name: 'minute', limits: { rpm: 2 } });
    for (let i = 0; i < 2; i++) expect(await post(first, daily.key)).toBe(200);
    for (let i = 0; i < 2; i++) expect(await post(first, minute.key)).toBe(200);
    await first.close();

    const second = await startHarness({ env });
    second.fake.setScenario({ text: 'ok', usage: USAGE });
    try {
      expect(await post(second, daily.key)).toBe(200);
      expect(await post(second, daily.key)).toBe(429);
      expect(await post(second, minute.key)).toBe(429);
      const report = await admin(second, 'GET', '/usage?group_by=client');
      expect(report.json.rows).toEqual([
        expect.objectContaining({ client: 'daily', requests: 3, tokens_total: 3 * PER_REQUEST }),
        expect.objectContaining({ client: 'minute', requests: 2, tokens_total: 2 * PER_REQUEST }),
      ]);
    } finally {
      await second.close();
    }
  });
});

describe.runIf(HAVE_REDIS)('Redis: two replicas', () => {
  let redis: RedisServer;
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    redis = await startRedis();
    const env = { ADMIN_KEY, STATE_STORE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: 'clients-test:' };
    a = await startHarness({ env });
    b = await startHarness({ env });
    for (const h of [a, b]) h.fake.setScenario({ text: 'ok', usage: USAGE, delayMs: 50 });
  }, 30_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('a client made on one replica works on the other; rpm and concurrency hold for both together', async () => {
    const rpm = await createClient(a, { name: 'shared-rpm', limits: { rpm: 9 } });
    // The other replica hears of the change through Redis.
    await expect.poll(() => b.services.clients.registry.size, { timeout: 5_000 }).toBe(1);
    const statuses = await Promise.all(Array.from({ length: 50 }, (_, i) => post(i % 2 ? a : b, rpm.key)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(9);
    expect(statuses.filter((s) => s === 429)).toHaveLength(41);

    const conc = await createClient(b, { name: 'shared-conc', limits: { concurrency: 4 } });
    await expect.poll(() => a.services.clients.registry.size, { timeout: 5_000 }).toBe(2);
    for (const h of [a, b]) h.fake.setScenario({ text: 'ok', usage: USAGE, delayMs: 1_500 });
    const held = await Promise.all(Array.from({ length: 50 }, (_, i) => post(i % 2 ? a : b, conc.key)));
    expect(held.filter((s) => s === 200)).toHaveLength(4);
  });

  it('tokens per day and the usage report add up over both replicas', async () => {
    for (const h of [a, b]) h.fake.setScenario({ text: 'ok', usage: USAGE });
    const c = await createClient(a, { name: 'shared-day', limits: { tokens_per_day: PER_REQUEST * 4 } });
    await expect.poll(() => b.services.clients.registry.get(c.id) !== undefined, { timeout: 5_000 }).toBe(true);
    expect(await post(a, c.key)).toBe(200);
    expect(await post(b, c.key)).toBe(200);
    expect(await post(a, c.key)).toBe(200);
    expect(await post(b, c.key)).toBe(200);
    expect(await post(a, c.key)).toBe(429);
    expect(await post(b, c.key)).toBe(429);
    await b.services.history.recorder.flush();
    const report = await admin(a, 'GET', '/usage?group_by=client,model');
    expect(report.json.totals).toMatchObject({ requests: expect.any(Number), tokens_total: expect.any(Number) });
    expect(report.json.rows.find((r: { client: string }) => r.client === 'shared-day')).toMatchObject({ model: MODEL_OF_TYPE.common, requests: 4, tokens_in: 4 * USAGE.input, tokens_out: 4 * USAGE.output });
    const status = (await (await fetch(`${b.url}/status.json`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as { clients: Array<{ name: string; usage: { today: { requests: number; tokens: number } } }> };
    expect(status.clients.find((x) => x.name === 'shared-day')!.usage.today).toEqual({ requests: 4, tokens: 4 * PER_REQUEST });
  });
});
