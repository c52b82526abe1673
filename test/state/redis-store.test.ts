/**
 * What Redis adds over the other stores: several replicas share one state. Counters from
 * every replica add up, a status change reaches the other replicas as it happens, an older
 * status never overwrites a newer one, and two gateways sharing Redis never both spend a
 * key that one of them found dead.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import { openStore } from '../../src/state/open-store.js';
import { emptyKeyRecord, type KeyRecord, type StateStore } from '../../src/state/store.js';
import { MODEL_OF_TYPE, startHarness } from '../support/harness.js';
import { HAVE_REDIS, startRedis, type RedisServer } from '../support/redis.js';
import { RecordingLog, fixedClock } from './helpers.js';

describe.runIf(!HAVE_REDIS && process.env.CI)('redis store (CI)', () => {
  it('has redis-server in CI', () => {
    expect.fail('/usr/bin/redis-server is missing: .ci/run must apt-get install redis-server');
  });
});

describe.runIf(HAVE_REDIS)('redis store shared by replicas', () => {
  let redis: RedisServer;
  const stores: StateStore[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await redis.stop();
  });

  async function replica(prefix: string): Promise<StateStore> {
    const store = await openStore({ kind: 'redis', dataDir: '', redis: { url: redis.url, prefix }, log: new RecordingLog(), clock: fixedClock(), flushIntervalMs: 60_000 });
    stores.push(store);
    return store;
  }

  it('adds up the counters of every replica instead of keeping the last writer', async () => {
    const prefix = `t:${randomUUID()}:`;
    const [a, b] = [await replica(prefix), await replica(prefix)];
    await a.loadKeys();
    await b.loadKeys();
    a.saveKey({ ...emptyKeyRecord('fp'), success: 2, byStatus: { '200': 2 }, tokensIn: 100 });
    b.saveKey({ ...emptyKeyRecord('fp'), success: 3, failure: 1, byStatus: { '200': 3, '500': 1 }, tokensIn: 50 });
    await a.flush();
    await b.flush();
    // A counts on from its own last write: only the difference goes to Redis.
    a.saveKey({ ...emptyKeyRecord('fp'), success: 4, byStatus: { '200': 4 }, tokensIn: 300 });
    await a.flush();
    const [record] = await (await replica(prefix)).loadKeys();
    expect(record).toMatchObject({ success: 7, failure: 1, byStatus: { '200': 7, '500': 1 }, tokensIn: 350 });
  });

  it('pushes a status change to the other replicas, not back to its own', async () => {
    const prefix = `t:${randomUUID()}:`;
    const [a, b] = [await replica(prefix), await replica(prefix)];
    const seenByA: KeyRecord[] = [];
    const seenByB = new Promise<KeyRecord>((resolve) => b.onRemoteChange?.(resolve));
    a.onRemoteChange?.((r) => seenByA.push(r));
    a.saveKey({ ...emptyKeyRecord('fp'), status: 'retired', reason: 'HTTP 402: no credit', changedAt: 1_000, failure: 1, byStatus: { '402': 1 } });
    await a.flush();
    expect(await seenByB).toMatchObject({ fingerprint: 'fp', status: 'retired', reason: 'HTTP 402: no credit', changedAt: 1_000 });
    expect(seenByA).toEqual([]);
  });

  it('keeps the newer of two status changes, whichever is written last', async () => {
    const prefix = `t:${randomUUID()}:`;
    const [a, b] = [await replica(prefix), await replica(prefix)];
    a.saveKey({ ...emptyKeyRecord('fp'), status: 'cooling', coolingUntil: 9_000, reason: 'HTTP 429', changedAt: 2_000 });
    b.saveKey({ ...emptyKeyRecord('fp'), status: 'disabled', reason: 'HTTP 401', changedAt: 1_000 });
    await a.flush();
    await b.flush();
    const [record] = await (await replica(prefix)).loadKeys();
    expect(record).toMatchObject({ status: 'cooling', coolingUntil: 9_000, reason: 'HTTP 429', changedAt: 2_000 });
  });

  it('two gateways: a key added or removed through the admin API of one is in or out of the other at once', async () => {
    const prefix = `t:${randomUUID()}:`;
    const admin = 'admin-secret-0123456789';
    const env = { FACTORY_API_KEY: 'k-listed-aaaa-1111111111', ADMIN_KEY: admin, STATE_STORE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: prefix };
    const a = await startHarness({ env });
    const b = await startHarness({ env });
    try {
      const added = 'k-added-bbbb-2222222222';
      const inB = () => b.services.keys.pool!.snapshot().some((k) => k.fingerprint === fingerprint(added));
      const until = async (want: boolean) => {
        await vi.waitFor(() => expect(inB()).toBe(want), { timeout: 1_000, interval: 10 }).catch(() => undefined);
        return inB();
      };
      const call = (method: string, path: string, body?: unknown) =>
        fetch(`${a.url}/admin/api${path}`, { method, headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
      expect((await call('POST', '/keys', { key: added })).status).toBeLessThan(300);
      expect(await until(true)).toBe(true);
      expect((await call('DELETE', `/keys/${fingerprint(added)}`)).status).toBeLessThan(300);
      expect(await until(false)).toBe(false);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('two gateways: a key one of them found out of credit is never tried by the other', async () => {
    const prefix = `t:${randomUUID()}:`;
    const dead = 'k-dead-aaaa-1111111111';
    const good = 'k-good-bbbb-2222222222';
    const env = { FACTORY_API_KEY: `${dead};${good}`, STATE_STORE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: prefix };
    // Weighted selection drawing 0 picks the first usable key: the dead one while it looks usable.
    const first = { random: () => 0 };
    const a = await startHarness({ env, overrides: first });
    const b = await startHarness({ env, overrides: first });
    try {
      for (const g of [a, b]) g.fake.setKeyBehaviour(dead, { status: 402, errorMessage: 'Insufficient credits' });
      const seen = new Promise<KeyRecord>((resolve) => b.services.store.onRemoteChange?.(resolve));
      const ask = (url: string) =>
        fetch(`${url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: MODEL_OF_TYPE.anthropic, messages: [{ role: 'user', content: 'hi' }] }),
        });
      expect((await ask(a.url)).status).toBe(200);
      await a.services.store.flush();
      expect(await seen).toMatchObject({ fingerprint: fingerprint(dead), status: 'retired' });
      for (let i = 0; i < 3; i++) expect((await ask(b.url)).status).toBe(200);
      expect(b.fake.requests.map((r) => r.key)).toEqual([good, good, good]);
      expect(b.services.keys.pool!.snapshot().find((k) => k.fingerprint === fingerprint(dead))).toMatchObject({ status: 'retired' });
    } finally {
      await a.close();
      await b.close();
    }
  });
});
