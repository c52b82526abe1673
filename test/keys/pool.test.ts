import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import { KeyPool, type KeyPoolOptions } from '../../src/keys/pool.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { GatewayError } from '../../src/errors.js';
import { FakeClock, seededRandom, silentLog } from '../support/fakes.js';

const KEYS = ['key-aaaaaaaaaaaaaaaa', 'key-bbbbbbbbbbbbbbbb', 'key-cccccccccccccccc'];
const fp = (i: number) => fingerprint(KEYS[i]!);

async function makePool(over: Partial<KeyPoolOptions> = {}, keys = KEYS) {
  const clock = over.clock instanceof FakeClock ? over.clock : new FakeClock();
  const retired: string[] = [];
  const store = over.store ?? new MemoryStore();
  const pool = await KeyPool.create(keys, {
    origin: 'test',
    strategy: 'simple',
    removeOn402: true,
    store,
    clock,
    random: seededRandom(1),
    log: silentLog,
    onRetire: (secret) => retired.push(secret),
    ...over,
  });
  return { pool, clock, retired, store };
}

async function use(pool: KeyPool, status: number, opts: { session?: string; retryAfter?: number } = {}) {
  const lease = await pool.acquire({ sessionId: opts.session });
  const verdict = lease.report({ status, retryAfter: opts.retryAfter });
  return { fingerprint: lease.fingerprint, authorization: lease.authorization, failover: verdict.failover };
}

const statusOf = (pool: KeyPool, f: string) => pool.snapshot().find((k) => k.fingerprint === f)?.status;

describe('KeyPool selection', () => {
  it('rotates strictly in order with simple round robin', async () => {
    const { pool } = await makePool();
    const seen = [];
    for (let i = 0; i < 6; i++) seen.push((await use(pool, 200)).fingerprint);
    expect(seen).toEqual([fp(0), fp(1), fp(2), fp(0), fp(1), fp(2)]);
  });

  it('skips unusable keys and keys the request already tried, keeping the rotation exact', async () => {
    const { pool } = await makePool();
    await use(pool, 402); // key 0 retired
    const seen = [];
    for (let i = 0; i < 4; i++) seen.push((await use(pool, 200)).fingerprint);
    expect(seen).toEqual([fp(1), fp(2), fp(1), fp(2)]);
    const lease = await pool.acquire({ exclude: new Set([fp(1)]) });
    expect(lease.fingerprint).toBe(fp(2));
  });

  it('moves weighted traffic away from a failing key and back after it recovers', async () => {
    const { pool, clock } = await makePool({ strategy: 'weighted' });
    const share = async (n: number, statusFor: (f: string) => number) => {
      let hits = 0;
      for (let i = 0; i < n; i++) {
        const lease = await pool.acquire({});
        if (lease.fingerprint === fp(1)) hits += 1;
        lease.report({ status: statusFor(lease.fingerprint) });
        clock.advance(1000);
      }
      return hits / n;
    };
    const before = await share(300, () => 200);
    const failing = await share(300, (f) => (f === fp(1) ? 500 : 200));
    clock.advance(10 * 60_000);
    await share(600, () => 200); // key 1 recovers: it still gets a little traffic, so its successes count
    const after = await share(300, () => 200);
    expect(before).toBeGreaterThan(0.25);
    expect(failing).toBeLessThan(before / 2);
    expect(after).toBeGreaterThan(0.25);
  });

  it('keeps a conversation on one key while it is healthy, and moves it when the key dies', async () => {
    const { pool } = await makePool({ strategy: 'weighted' });
    const first = await use(pool, 200, { session: 's1' });
    for (let i = 0; i < 5; i++) expect((await use(pool, 200, { session: 's1' })).fingerprint).toBe(first.fingerprint);
    const lease = await pool.acquire({ sessionId: 's1' });
    lease.report({ status: 402 });
    const next = await use(pool, 200, { session: 's1' });
    expect(next.fingerprint).not.toBe(first.fingerprint);
  });
});

describe('KeyPool: what an answer does to the key that got it', () => {
  it('retires a key that answers 402, once, and never gives it out again', async () => {
    const { pool, retired } = await makePool();
    const r = await use(pool, 402);
    expect(r.failover).toBe(true);
    expect(statusOf(pool, r.fingerprint)).toBe('retired');
    expect(retired).toEqual([KEYS[0]]);
    for (let i = 0; i < 10; i++) expect((await use(pool, 200)).fingerprint).not.toBe(fp(0));
  });

  it('cools a 402 key instead of retiring it when remove_on_402 is off', async () => {
    const { pool } = await makePool({ removeOn402: false });
    const r = await use(pool, 402);
    expect(statusOf(pool, r.fingerprint)).toBe('cooling');
  });

  it('disables a key that answers 401 or 403', async () => {
    const { pool } = await makePool();
    expect(statusOf(pool, (await use(pool, 401)).fingerprint)).toBe('disabled');
    expect(statusOf(pool, (await use(pool, 403)).fingerprint)).toBe('disabled');
  });

  it('cools a 429 key until Retry-After, then uses it again', async () => {
    const { pool, clock } = await makePool();
    const r = await use(pool, 429, { retryAfter: 30 });
    expect(statusOf(pool, r.fingerprint)).toBe('cooling');
    const during = [];
    for (let i = 0; i < 4; i++) during.push((await use(pool, 200)).fingerprint);
    expect(during).not.toContain(r.fingerprint);
    clock.advance(30_000);
    const after = [];
    for (let i = 0; i < 3; i++) after.push((await use(pool, 200)).fingerprint);
    expect(after).toContain(r.fingerprint);
  });

  it('cools a key only after repeated 5xx or dropped connections', async () => {
    const { pool } = await makePool({}, [KEYS[0]!, KEYS[1]!]);
    const lease = () => pool.acquire({ exclude: new Set([fp(1)]) });
    (await lease()).report({ status: 500 });
    (await lease()).report({ status: 0 });
    expect(statusOf(pool, fp(0))).toBe('active');
    (await lease()).report({ status: 502 });
    expect(statusOf(pool, fp(0))).toBe('cooling');
  });

  it('does not penalise a key for the client\'s mistake, nor retry it', async () => {
    const { pool } = await makePool();
    for (const status of [400, 404, 413, 422]) {
      const r = await use(pool, status);
      expect(r.failover).toBe(false);
      expect(statusOf(pool, r.fingerprint)).toBe('active');
    }
  });

  it('blames the upstream, not the keys, when every key fails with the same 429 at once', async () => {
    const { pool } = await makePool();
    const verdicts = [];
    for (let i = 0; i < 3; i++) verdicts.push((await use(pool, 429, { retryAfter: 60 })).failover);
    expect(verdicts).toEqual([true, true, false]);
    expect(pool.snapshot().map((k) => k.status)).toEqual(['active', 'active', 'active']);
  });

  it('keeps a retired key retired when a late success arrives from a request still in flight', async () => {
    const { pool } = await makePool();
    for (let i = 0; i < 3; i++) await use(pool, 200); // verified keys may serve several requests at once
    const a = await pool.acquire({});
    const b = await pool.acquire({ exclude: new Set([fp(1), fp(2)]) });
    expect(b.fingerprint).toBe(a.fingerprint);
    a.report({ status: 402 });
    b.report({ status: 200 });
    expect(statusOf(pool, a.fingerprint)).toBe('retired');
  });

  it('records each outcome against the key of the lease, whatever order leases end in', async () => {
    const { pool } = await makePool();
    const leases = await Promise.all([0, 1, 2].map(() => pool.acquire({})));
    leases[2]!.report({ status: 402 });
    leases[0]!.report({ status: 200 });
    leases[1]!.report({ status: 429, retryAfter: 5 });
    const byFp = new Map(pool.snapshot().map((k) => [k.fingerprint, k]));
    expect(byFp.get(leases[2]!.fingerprint)).toMatchObject({ status: 'retired', failure: 1, byStatus: { 402: 1 } });
    expect(byFp.get(leases[0]!.fingerprint)).toMatchObject({ status: 'active', success: 1, byStatus: { 200: 1 } });
    expect(byFp.get(leases[1]!.fingerprint)).toMatchObject({ status: 'cooling', failure: 1, byStatus: { 429: 1 } });
  });

  it('counts tokens per key', async () => {
    const { pool } = await makePool();
    const lease = await pool.acquire({});
    lease.report({ status: 200 });
    lease.usage({ inputTokens: 10, outputTokens: 5, cachedInputTokens: 3 });
    expect(pool.snapshot()[0]).toMatchObject({ tokensIn: 10, tokensOut: 5, tokensCached: 3 });
  });

  it('counts the tokens reported with an answer in the same record update (one store write)', async () => {
    const store = new MemoryStore();
    const saves: number[] = [];
    const saveKey = store.saveKey.bind(store);
    store.saveKey = (record) => {
      saves.push(record.tokensIn);
      saveKey(record);
    };
    const { pool } = await makePool({ store });
    saves.length = 0;
    const lease = await pool.acquire({});
    lease.report({ status: 200, usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 3 } });
    expect(saves).toEqual([10]);
    expect(pool.snapshot()[0]).toMatchObject({ success: 1, byStatus: { 200: 1 }, tokensIn: 10, tokensOut: 5, tokensCached: 3 });
    expect((await store.loadKeys()).find((r) => r.fingerprint === lease.fingerprint)).toMatchObject({ success: 1, tokensIn: 10, tokensCached: 3 });
  });
});

describe('KeyPool probation of unverified keys', () => {
  it('lends a key that has not answered yet to one request at a time, so a dead key costs one attempt', async () => {
    const { pool } = await makePool({ clock: new FakeClock(0, true) }, [KEYS[0]!, KEYS[1]!]);
    const onlyKey0 = { exclude: new Set([fp(1)]) };
    const first = await pool.acquire(onlyKey0);
    let second: string | undefined;
    const waiting = pool.acquire(onlyKey0).then((l) => {
      second = l.fingerprint;
      l.report({ status: 200 });
    });
    await new Promise((r) => setImmediate(r));
    expect(second).toBeUndefined();
    first.report({ status: 200 });
    await waiting;
    expect(second).toBe(first.fingerprint);
  });

  it('never gives a burst of requests a key that answers 402 more than once', async () => {
    const { pool } = await makePool({ strategy: 'weighted', clock: new FakeClock(0, true) });
    const dead = fp(1);
    let deadUses = 0;
    await Promise.all(
      Array.from({ length: 30 }, async () => {
        const tried = new Set<string>();
        for (;;) {
          const lease = await pool.acquire({ exclude: tried });
          tried.add(lease.fingerprint);
          await new Promise((r) => setImmediate(r));
          const status = lease.fingerprint === dead ? 402 : 200;
          if (status === 402) deadUses += 1;
          if (!lease.report({ status }).failover) return;
        }
      }),
    );
    expect(deadUses).toBe(1);
  });
});

describe('KeyPool when no key is usable', () => {
  it('answers 503 with Retry-After and the counts when keys are retired and disabled', async () => {
    const { pool } = await makePool();
    await use(pool, 402);
    await use(pool, 402);
    await use(pool, 401);
    const err = await pool.acquire({}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GatewayError);
    expect(err).toMatchObject({ status: 503, code: 'upstream_unavailable', retryAfter: 60 });
    expect((err as Error).message).toMatch(/2 retired, 1 disabled, 0 cooling/);
  });

  it('answers 429 with Retry-After at the soonest cooldown end when every key is cooling', async () => {
    const { pool, clock } = await makePool({}, [KEYS[0]!, KEYS[1]!]);
    await use(pool, 429, { retryAfter: 120 });
    clock.advance(40_000); // apart in time, so not blamed on the upstream
    await use(pool, 429, { retryAfter: 42 });
    const err = await pool.acquire({}).catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 429, code: 'rate_limited', retryAfter: 42 });
  });
});

describe('KeyPool with a single key', () => {
  it('does not hold requests back while its only key answers for the first time', async () => {
    const { pool } = await makePool({ clock: new FakeClock(0, true) }, [KEYS[0]!]);
    const first = await pool.acquire({});
    const second = await pool.acquire({});
    expect(second.fingerprint).toBe(first.fingerprint);
  });

  it('passes every failure through and never takes its only key out of service', async () => {
    const { pool } = await makePool({}, [KEYS[0]!]);
    for (const status of [402, 401, 429, 500, 500, 500, 0]) {
      expect((await use(pool, status)).failover).toBe(false);
    }
    expect(pool.snapshot()[0]).toMatchObject({ status: 'active', byStatus: { 402: 1, 401: 1, 429: 1, 500: 3, 0: 1 } });
  });
});

describe('KeyPool state across restarts and reloads', () => {
  it('keeps a retired key retired after a restart, drops a removed key and adds a new one', async () => {
    const store = new MemoryStore();
    const first = await makePool({ store });
    await use(first.pool, 402);
    const second = await makePool({ store }, [KEYS[0]!, KEYS[2]!, 'key-dddddddddddddddd']);
    expect(second.pool.snapshot().map((k) => [k.fingerprint, k.status])).toEqual([
      [fp(0), 'retired'],
      [fp(2), 'active'],
      [fingerprint('key-dddddddddddddddd'), 'active'],
    ]);
  });

  it('hot-reloads the key list keeping each known key\'s state', async () => {
    const { pool } = await makePool();
    await use(pool, 402);
    expect(pool.setKeys([KEYS[0]!, 'key-eeeeeeeeeeeeeeee'])).toEqual({ added: 1, removed: 2 });
    expect(pool.snapshot().map((k) => k.status)).toEqual(['retired', 'active']);
  });

  it('shows keys masked, never in full', async () => {
    const { pool } = await makePool();
    const text = JSON.stringify(pool.snapshot());
    for (const k of KEYS) expect(text).not.toContain(k);
    expect(pool.snapshot()[0]!.masked).toBe('key-aa…aaaa');
  });
});

describe('KeyPool probation grace', () => {
  it('lends a probing key to other requests once its first answer has taken a few seconds', async () => {
    const clock = new FakeClock(0, true);
    const { pool } = await makePool({ clock }, [KEYS[0]!, KEYS[1]!]);
    const first = await pool.acquire({ exclude: new Set([fp(1)]) });
    let second: string | undefined;
    const waiting = pool.acquire({ exclude: new Set([fp(1)]) }).then((l) => (second = l.fingerprint));
    await new Promise((r) => setImmediate(r));
    expect(second).toBeUndefined();
    for (let i = 0; i < 7; i++) {
      clock.advance(500);
      await new Promise((r) => setImmediate(r));
    }
    await waiting;
    expect(second).toBe(first.fingerprint);
  });
});
