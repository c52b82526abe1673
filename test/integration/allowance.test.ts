import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import type { FakeAllowance } from '../fake-factory/index.js';
import { FakeClock } from '../support/fakes.js';
import { startHarness, type Harness } from '../support/harness.js';

const H = 3_600_000;
const MODEL = 'gpt-5.4';
/** Each answer costs 200 tokens (the fake counts them against the key's windows). */
const USAGE = { input: 150, output: 50 };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A gateway on keys a and b with the given config changes, its clock shared with the fake. */
/** The pages are the admin's once ADMIN_KEY is set. */
const ADMIN = { headers: { authorization: 'Bearer admin-secret-1' } };

async function start(config: Record<string, unknown>, clock: FakeClock): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'd2a-allowance-'));
  const shipped = JSON.parse(readFileSync('config.json', 'utf8')) as Record<string, unknown>;
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...shipped, usage_check_rate: 50, ...config }));
  const harness = await startHarness({
    env: { FACTORY_API_KEY: 'fk-key-a;fk-key-b', DROID2API_CONFIG: join(dir, 'config.json'), ADMIN_KEY: 'admin-secret-1' },
    fake: { now: () => clock.now() },
    overrides: { clock },
  });
  harness.fake.setScenario({ usage: USAGE });
  return harness;
}

async function ask(harness: Harness, n: number): Promise<void> {
  const client = new OpenAI({ baseURL: `${harness.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  for (let i = 0; i < n; i++) await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: `hi ${i}` }] });
}

const monthly = (clock: FakeClock, total: number, used: number, endsIn: number): FakeAllowance => ({
  standard: { totalAllowance: total, userTokens: used, startDate: clock.now() - H, endDate: clock.now() + endsIn },
});

function countsOf(harness: Harness): { a: number; b: number; refused: number } {
  const log = harness.fake.keyLog();
  const refused = [...log.values()].reduce((n, s) => n + (s.statuses[402] ?? 0), 0);
  return { a: log.get('fk-key-a')?.count ?? 0, b: log.get('fk-key-b')?.count ?? 0, refused };
}

describe('scheduling by allowance', () => {
  it('rests a key at 100 % until its window ends, sends it nothing meanwhile, and takes it back after', async () => {
    const clock = new FakeClock();
    h = await start({}, clock);
    h.fake.setAllowance('fk-key-a', { limits: { standard: { fiveHour: { usedPercent: 100, windowEnd: clock.now() + 2 * H } } } });
    h.fake.setAllowance('fk-key-b', monthly(clock, 1_000_000, 0, 20 * 24 * H));
    await h.services.allowance!.tick();
    await ask(h, 6);
    expect(countsOf(h)).toEqual({ a: 0, b: 6, refused: 0 });
    const status = (await (await fetch(`${h.url}/status.json`, ADMIN)).json()) as { keys: Array<{ fingerprint: string; status: string; coolingUntil?: number }> };
    expect(status.keys.find((k) => k.fingerprint === fingerprint('fk-key-a'))).toMatchObject({ status: 'cooling', coolingUntil: clock.now() + 2 * H });

    clock.advance(2 * H + 1000);
    await h.services.allowance!.tick();
    await ask(h, 10);
    expect(countsOf(h).a).toBeGreaterThan(0);
    expect(countsOf(h).refused).toBe(0);
  });

  it('expiring-first spends the soonest-expiring key first and moves on when it is spent, before any 402', async () => {
    const clock = new FakeClock();
    h = await start({ 'round-robin': 'expiring-first' }, clock);
    // a: 1,000 tokens left, lost in 1 day; b: plenty, lost in 20 days.
    h.fake.setAllowance('fk-key-a', monthly(clock, 10_000, 9_000, 24 * H));
    h.fake.setAllowance('fk-key-b', monthly(clock, 1_000_000, 0, 20 * 24 * H));
    await h.services.allowance!.tick();
    await ask(h, 5);
    expect(countsOf(h)).toEqual({ a: 5, b: 0, refused: 0 });
    await ask(h, 4);
    expect(countsOf(h)).toEqual({ a: 5, b: 4, refused: 0 });
    // The confirming check after the spend finds a at 100 %: it rests until its window ends.
    await h.services.allowance!.tick();
    expect(h.services.allowance!.allowanceOf(fingerprint('fk-key-a'))?.windows[0]?.usedRatio).toBe(1);
    await ask(h, 3);
    expect(countsOf(h)).toEqual({ a: 5, b: 7, refused: 0 });
  });

  it.each<[string, Partial<FakeAllowance> | undefined]>([
    ['both endpoints missing (404)', undefined],
    ['401 and 403', { chatUsageAnswer: 401, limitsAnswer: 403 }],
    ['malformed answers', { chatUsageAnswer: 'malformed', limitsAnswer: 'malformed' }],
    ['server errors', { chatUsageAnswer: 500, limitsAnswer: 503 }],
  ])('leaves a key in service when the usage endpoints give %s', async (_name, allowance) => {
    const clock = new FakeClock();
    h = await start({ 'round-robin': 'simple' }, clock);
    h.fake.setAllowance('fk-key-a', allowance);
    await h.services.allowance!.tick();
    await ask(h, 4);
    expect(countsOf(h)).toEqual({ a: 2, b: 2, refused: 0 });
    const status = (await (await fetch(`${h.url}/status.json`, ADMIN)).json()) as { keys: Array<{ fingerprint: string; status: string; allowance: { state: string } }> };
    expect(status.keys.map((k) => [k.status, k.allowance.state])).toEqual([
      ['active', 'unknown'],
      ['active', 'unknown'],
    ]);
  });
});

describe('when a key answers 402', () => {
  it('is retired as before and its allowance is checked again at the next round', async () => {
    const clock = new FakeClock();
    h = await start({ 'round-robin': 'simple' }, clock);
    h.fake.setAllowance('fk-key-a', monthly(clock, 1000, 10, H));
    await h.services.allowance!.tick();
    const checks = () => h!.fake.usageRequests.filter((r) => r.key === 'fk-key-a').length / 2;
    expect(checks()).toBe(1);
    h.fake.setKeyBehaviour('fk-key-a', { status: 402 });
    await ask(h, 2);
    await h.services.allowance!.tick();
    expect(checks()).toBe(2);
    const status = (await (await fetch(`${h.url}/status.json`, ADMIN)).json()) as { keys: Array<{ fingerprint: string; status: string }> };
    expect(status.keys.find((k) => k.fingerprint === fingerprint('fk-key-a'))?.status).toBe('retired');
  });
});

describe('allowance on /status.json, /metrics and the admin API', () => {
  it('shows what the usage endpoints said, per key and for the pool', async () => {
    const clock = new FakeClock();
    h = await start({}, clock);
    const end = clock.now() + 5 * H;
    h.fake.setAllowance('fk-key-a', { ...monthly(clock, 20_000, 5_000, 24 * H), limits: { standard: { fiveHour: { usedPercent: 25, windowEnd: end } } } });
    await h.services.allowance!.tick();
    const doc = (await (await fetch(`${h.url}/status.json`, ADMIN)).json()) as {
      keys: Array<{ fingerprint: string; allowance: { state: string; checkedAt: number; windows: unknown[] } }>;
      allowance: { tokensLeft: number; keysKnown: number; keysUnknown: number; nextResets: Array<{ at: number; keys: string[] }> };
    };
    const a = doc.keys.find((k) => k.fingerprint === fingerprint('fk-key-a'))!;
    expect(a.allowance).toMatchObject({ state: 'known', checkedAt: clock.now() });
    expect(a.allowance.windows).toEqual([
      { name: 'standard', usedPercent: 25, usedTokens: 5_000, totalTokens: 20_000, leftTokens: 15_000, endsAt: clock.now() + 24 * H },
      { name: 'standard.fiveHour', usedPercent: 25, endsAt: end },
    ]);
    expect(doc.allowance).toMatchObject({ tokensLeft: 15_000, keysKnown: 1, keysUnknown: 1, nextResets: [{ at: end, keys: [fingerprint('fk-key-a')] }, { at: clock.now() + 24 * H }] });

    const metrics = await (await fetch(`${h.url}/metrics`, ADMIN)).text();
    const fp = fingerprint('fk-key-a');
    expect(metrics).toContain(`droid2api_key_allowance_used_ratio{key="${fp}",window="standard.fiveHour"} 0.25`);
    expect(metrics).toContain(`droid2api_key_allowance_window_end_seconds{key="${fp}",window="standard.fiveHour"} ${end / 1000}`);
    expect(metrics).not.toContain('fk-key-a');
  });

  it('checks a key on demand, and 404s an unknown fingerprint', async () => {
    const clock = new FakeClock();
    h = await start({}, clock);
    const fp = fingerprint('fk-key-b');
    h.fake.setAllowance('fk-key-b', monthly(clock, 100, 40, H));
    const check = () => fetch(`${h!.url}/admin/api/keys/${fp}/check`, { method: 'POST', headers: { authorization: 'Bearer admin-secret-1' } });
    const first = (await (await check()).json()) as { allowance: { windows: Array<{ usedPercent: number }> } };
    expect(first.allowance.windows[0]?.usedPercent).toBe(40);
    h.fake.setAllowance('fk-key-b', monthly(clock, 100, 90, H));
    const second = (await (await check()).json()) as { allowance: { windows: Array<{ usedPercent: number }> } };
    expect(second.allowance.windows[0]?.usedPercent).toBe(90);
    const missing = await fetch(`${h.url}/admin/api/keys/00000000/check`, { method: 'POST', headers: { authorization: 'Bearer admin-secret-1' } });
    expect(missing.status).toBe(404);
  });
});
