import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { factoryAllowanceFetcher } from '../../../src/keys/allowance/fetch.js';
import { AllowancePoller, type AllowanceTarget } from '../../../src/keys/allowance/poller.js';
import type { KeyAllowance } from '../../../src/keys/allowance/types.js';
import { MemoryStore } from '../../../src/state/memory-store.js';
import { openStore } from '../../../src/state/open-store.js';
import type { StateStore } from '../../../src/state/store.js';
import { startFakeFactory, type FakeFactory } from '../../fake-factory/index.js';
import { FakeClock, silentLog } from '../../support/fakes.js';
import { HAVE_REDIS, startRedis, type RedisServer } from '../../support/redis.js';

const H = 3_600_000;
const INTERVAL_MS = 600_000;

let clock: FakeClock;
let fake: FakeFactory;
const closing: Array<() => Promise<void>> = [];

beforeAll(async () => {
  clock = new FakeClock();
  fake = await startFakeFactory({ now: () => clock.now() });
  closing.push(() => fake.close());
});
afterAll(async () => {
  for (const close of closing.reverse()) await close();
});
afterEach(() => fake.reset());

function keysOf(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `fk-poll-${randomUUID()}-${i}`);
}

function givePlenty(keys: string[]): void {
  for (const key of keys) fake.setAllowance(key, { standard: { totalAllowance: 1_000_000, userTokens: 10, startDate: clock.now() - H, endDate: clock.now() + 24 * H } });
}

function poller(store: StateStore, keys: string[], rate: number, applied?: Map<string, KeyAllowance>): AllowancePoller {
  const endpoints = { chat_usage: `${fake.url}/api/organization/members/chat-usage`, billing_limits: `${fake.url}/api/billing/limits` };
  const targets: AllowanceTarget[] = keys.map((key) => ({ fingerprint: key, authorization: async () => `Bearer ${key}` }));
  return new AllowancePoller({
    store,
    clock,
    log: silentLog,
    intervalMs: INTERVAL_MS,
    ratePerSecond: rate,
    fetch: factoryAllowanceFetcher({ endpoints, userAgent: 'factory-cli/test', clock }),
    targets: () => targets,
    apply: (fp, a) => applied?.set(fp, a),
  });
}

/** Runs the pollers' rounds once a (fake) second for `seconds`. */
async function run(pollers: AllowancePoller[], seconds: number): Promise<void> {
  for (let s = 0; s < seconds; s++) {
    await Promise.all(pollers.map((p) => p.tick()));
    clock.advance(1000);
  }
}

function checksPerKey(keys: string[]): number[] {
  return keys.map((key) => fake.usageRequests.filter((r) => r.key === key).length / 2);
}

describe('AllowancePoller', () => {
  it('checks 200 keys within the interval without exceeding the rate cap in any second', async () => {
    const keys = keysOf(200);
    givePlenty(keys);
    const started = clock.now();
    await run([poller(new MemoryStore(), keys, 10)], 60);
    const perSecond = new Map<number, number>();
    for (const r of fake.usageRequests) {
      const second = Math.floor((r.at - started) / 1000);
      perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
    }
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(10);
    // 400 requests at 10 a second: spread over 40 seconds, each key checked once.
    expect(perSecond.size).toBeGreaterThanOrEqual(40);
    expect(checksPerKey(keys).every((n) => n === 1)).toBe(true);
  });

  it('checks a key again after the interval, and right after a 402 (soon)', async () => {
    const keys = keysOf(3);
    givePlenty(keys);
    const p = poller(new MemoryStore(), keys, 10);
    await run([p], 2);
    expect(checksPerKey(keys)).toEqual([1, 1, 1]);
    p.soon(keys[1]!);
    await run([p], 1);
    expect(checksPerKey(keys)).toEqual([1, 2, 1]);
    clock.advance(INTERVAL_MS);
    await run([p], 2);
    expect(checksPerKey(keys)).toEqual([2, 3, 2]);
  });

  it('checks a key again as soon as one of its windows resets', async () => {
    const [key] = keysOf(1);
    fake.setAllowance(key!, { limits: { standard: { fiveHour: { usedPercent: 100, windowEnd: clock.now() + 30_000 } } } });
    const applied = new Map<string, KeyAllowance>();
    await run([poller(new MemoryStore(), [key!], 10, applied)], 40);
    expect(checksPerKey([key!])).toEqual([2]);
    expect(applied.get(key!)?.windows[0]?.usedRatio).toBe(0);
  });

  it('reports a missing or malformed answer as unknown, without throwing', async () => {
    const keys = keysOf(3);
    fake.setAllowance(keys[0]!, { chatUsageAnswer: 'malformed', limitsAnswer: 403 });
    fake.setAllowance(keys[1]!, { chatUsageAnswer: 401, limitsAnswer: 'malformed' });
    const applied = new Map<string, KeyAllowance>();
    await run([poller(new MemoryStore(), keys, 10, applied)], 2);
    expect(applied.get(keys[0]!)).toMatchObject({ windows: [], problem: 'chat-usage: unexpected answer; billing-limits: HTTP 403' });
    expect(applied.get(keys[1]!)).toMatchObject({ windows: [], problem: 'chat-usage: HTTP 401; billing-limits: unexpected answer' });
    expect(applied.get(keys[2]!)).toMatchObject({ windows: [], problem: 'chat-usage: HTTP 404; billing-limits: HTTP 404' });
  });
});

describe.skipIf(!HAVE_REDIS && !process.env.CI)('AllowancePoller on replicas sharing Redis', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
    closing.push(() => redis.stop());
  });

  it('checks each key once per interval between two replicas, and both know every result', async () => {
    const prefix = `test:${randomUUID()}:`;
    const open = () => openStore({ kind: 'redis', dataDir: '', redis: { url: redis.url, prefix }, log: silentLog, clock, flushIntervalMs: 60_000 });
    const stores = [await open(), await open()];
    closing.push(async () => void (await Promise.all(stores.map((s) => s.close()))));
    const keys = keysOf(30);
    givePlenty(keys);
    const seen = [new Map<string, KeyAllowance>(), new Map<string, KeyAllowance>()];
    const replicas = [poller(stores[0]!, keys, 10, seen[0]), poller(stores[1]!, keys, 10, seen[1])];
    await run(replicas, 30);
    expect(checksPerKey(keys)).toEqual(keys.map(() => 1));
    for (const known of seen) expect(known.size).toBe(keys.length);
    clock.advance(INTERVAL_MS);
    await run(replicas, 30);
    expect(checksPerKey(keys)).toEqual(keys.map(() => 2));
  });
});
