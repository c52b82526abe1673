/**
 * Redis is the source of truth and an outage loses nothing: two replicas share a Redis that
 * goes away; a key retired on replica A meanwhile reaches replica B once Redis is back (A
 * replays it, B resyncs), a replica started during the outage starts degraded and catches
 * up, and the admin API answers 503 at once while Redis is down.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import { startHarness, type Harness } from '../support/harness.js';
import { HAVE_REDIS, startRedis, type RedisServer } from '../support/redis.js';

const DEAD = 'k-dead-aaaa-1111111111';
const GOOD = 'k-good-bbbb-2222222222';
const ADMIN = 'admin-secret-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'd2a-redis-outage-'));
let redis: RedisServer;
const harnesses: Harness[] = [];

beforeAll(async () => {
  if (HAVE_REDIS) redis = await startRedis({ persistentDir: dir });
});
afterAll(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
  await redis?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function replica(prefix: string): Promise<Harness> {
  const env = { FACTORY_API_KEY: `${DEAD};${GOOD}`, ADMIN_KEY: ADMIN, STATE_STORE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: prefix };
  // Weighted selection drawing 0 picks the first usable key: the dead one while it looks usable.
  const h = await startHarness({ env, overrides: { random: () => 0 } });
  h.fake.setKeyBehaviour(DEAD, { status: 402, errorMessage: 'Insufficient credits' });
  harnesses.push(h);
  return h;
}

const ask = (url: string) =>
  fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }] }),
  });

const statusOf = (h: Harness) => h.services.keys.pool!.snapshot().find((k) => k.fingerprint === fingerprint(DEAD))?.status;
const readyz = async (h: Harness) => ((await (await fetch(`${h.url}/readyz`)).json()) as { store: { kind: string; state: string } }).store;

describe.runIf(HAVE_REDIS)('redis outage', () => {
  it('replays a retirement made during the outage to the other replicas, and a replica started meanwhile catches up', async () => {
    const prefix = `t:${randomUUID()}:`;
    const a = await replica(prefix);
    const b = await replica(prefix);
    expect(await readyz(a)).toMatchObject({ kind: 'redis', state: 'ok' });

    await redis.stop();
    await vi.waitFor(() => expect(a.services.store.health?.().state).toBe('degraded'), { timeout: 10_000 });
    expect(await readyz(a)).toMatchObject({ state: 'degraded' });

    const started = performance.now();
    const refused = await fetch(`${a.url}/admin/api/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'k-new-cccc-3333333333' }),
    });
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('state_store_unavailable');

    expect((await ask(a.url)).status).toBe(200);
    expect(statusOf(a)).toBe('retired');
    expect(statusOf(b)).toBe('active');
    const c = await replica(prefix);
    expect(await readyz(c)).toMatchObject({ state: 'degraded' });

    await redis.restart();
    await vi.waitFor(() => {
      expect(statusOf(b)).toBe('retired');
      expect(statusOf(c)).toBe('retired');
    }, { timeout: 15_000, interval: 50 });
    expect(await readyz(c)).toMatchObject({ state: 'ok' });
    for (const h of [b, c]) {
      for (let i = 0; i < 3; i++) expect((await ask(h.url)).status).toBe(200);
      expect(h.fake.requests.map((r) => r.key)).toEqual([GOOD, GOOD, GOOD]);
    }
  }, 60_000);
});
