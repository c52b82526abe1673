import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemIds } from '../../src/runtime/clock.js';
import type { TrafficSummary } from '../../src/history/summary.js';
import type { ConfigurationSection } from '../../src/web/status-wire.js';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';
import { HAVE_REDIS, startRedis, type RedisServer } from '../support/redis.js';
import { call } from './http.js';

/**
 * Two replicas sharing Redis: each one's /status.json shows the last error the other saw,
 * and counts both replicas.
 */

interface StatusJson {
  configuration: ConfigurationSection;
  endpoints: { routes: TrafficSummary[] };
  models: TrafficSummary[];
}

async function status(h: Harness): Promise<StatusJson> {
  return (await call(h, 'GET', '/status.json?range=1h')).json as StatusJson;
}

const named = (rows: TrafficSummary[], name: string) => rows.find((r) => r.name === name);

describe.runIf(HAVE_REDIS || process.env.CI)('two Redis replicas on /status.json', () => {
  let redis: RedisServer;
  let a: Harness;
  let b: Harness;
  /** The replicas still running, closed at the end. */
  const running = new Set<Harness>();

  beforeAll(async () => {
    redis = await startRedis();
    const env = { FACTORY_API_KEY: 'k-replica-aaaa-1111111111', STATE_STORE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: `t:${randomUUID()}:` };
    // Real ids: the harness's counter ids would give both replicas the same process id.
    a = await startHarness({ env, overrides: { ids: systemIds } });
    b = await startHarness({ env, overrides: { ids: systemIds } });
    running.add(a).add(b);
  });

  afterAll(async () => {
    for (const replica of running) await replica.close();
    await redis?.stop();
  });

  it('shows on one replica the last error another one answered', async () => {
    const refused = await call(a, 'POST', '/v1/chat/completions', { body: { model: MODEL_OF_TYPE.openai, messages: [] } });
    expect(refused.status).toBe(400);
    await a.services.history.recorder.flush();
    const seenByB = await status(b);
    expect(named(seenByB.models, MODEL_OF_TYPE.openai)?.lastError).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(named(seenByB.endpoints.routes, '/v1/chat/completions')?.lastError).toEqual(named((await status(a)).endpoints.routes, '/v1/chat/completions')?.lastError);
  });

  it('counts both replicas, and one fewer once one stops', async () => {
    await expect.poll(async () => (await status(b)).configuration.processes?.length, { timeout: 5_000 }).toBe(2);
    expect((await status(a)).configuration.processes?.map((p) => p.id).sort()).toEqual([a.services.presence.self.id, b.services.presence.self.id].sort());
    running.delete(a);
    await a.close();
    expect((await status(b)).configuration.processes?.map((p) => p.id)).toEqual([b.services.presence.self.id]);
  });
});
