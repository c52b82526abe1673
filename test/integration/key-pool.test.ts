import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { shippedConfigPath } from '../../src/config/load.js';
import { fingerprint } from '../../src/keys/credential.js';
import type { KeyView } from '../../src/keys/pool.js';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

/**
 * The key pool through real HTTP: keys that answer 200 / 402 / 401 / 429 / 500 / drop the
 * connection, hit by bursts of 50 concurrent requests on each route, stream and not.
 */

const GOOD = ['k-good-1111111111', 'k-good-2222222222', 'k-good-3333333333'];
const BAD: Record<string, object> = {
  'k-quota-402-aaaaaa': { status: 402, errorMessage: 'insufficient balance' },
  'k-revoked-401-bbbb': { status: 401 },
  'k-limited-429-cccc': { status: 429, retryAfter: 120 },
  'k-broken-500-ddddd': { status: 500 },
  'k-dropping-eeeeeee': { dropConnection: true },
};
const ALL = [...GOOD, ...Object.keys(BAD)];
const TEXT = 'pool answer ✓';

let dataDir: string;
let h: Harness;

async function start(): Promise<Harness> {
  const harness = await startHarness({ env: { FACTORY_API_KEY: ALL.join(';'), STATE_STORE: 'sqlite', DATA_DIR: dataDir } });
  for (const [key, behaviour] of Object.entries(BAD)) harness.fake.setKeyBehaviour(key, behaviour);
  harness.fake.setScenario({ text: TEXT });
  return harness;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'd2a-pool-'));
  h = await start();
});
afterAll(async () => h.close());

type Call = () => Promise<string>;

function calls(url: string): Record<string, Call> {
  const openai = new OpenAI({ baseURL: `${url}/v1`, apiKey: 'x', maxRetries: 0 });
  const anthropic = new Anthropic({ baseURL: url, apiKey: 'x', maxRetries: 0 });
  const messages = [{ role: 'user' as const, content: 'hi' }];
  return {
    'chat non-stream': async () => (await openai.chat.completions.create({ model: MODEL_OF_TYPE.anthropic, messages })).choices[0]!.message.content ?? '',
    'chat stream': async () => {
      let text = '';
      for await (const c of await openai.chat.completions.create({ model: MODEL_OF_TYPE.anthropic, messages, stream: true })) text += c.choices[0]?.delta.content ?? '';
      return text;
    },
    'messages non-stream': async () => {
      const m = await anthropic.messages.create({ model: MODEL_OF_TYPE.anthropic, max_tokens: 50, messages });
      return m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    },
    'messages stream': async () => {
      const m = await anthropic.messages.stream({ model: MODEL_OF_TYPE.openai, max_tokens: 50, messages }).finalMessage();
      return m.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    },
    'responses non-stream': async () => (await openai.responses.create({ model: MODEL_OF_TYPE.openai, input: 'hi' })).output_text,
    'responses stream': async () => (await openai.responses.stream({ model: MODEL_OF_TYPE.openai, input: 'hi' }).finalResponse()).output_text,
  };
}

const view = (keys: KeyView[], key: string) => keys.find((k) => k.fingerprint === fingerprint(key))!;

describe('key pool under concurrent load', () => {
  it('serves 50 concurrent requests on every route, stream and non-stream, without a client ever seeing a dead key', async () => {
    const routes = calls(h.url);
    for (const [name, call] of Object.entries(routes)) {
      const results = await Promise.allSettled(Array.from({ length: 50 }, () => call()));
      const failures = results.filter((r) => r.status === 'rejected');
      expect(failures.map((f) => String((f as PromiseRejectedResult).reason)), name).toEqual([]);
      for (const r of results) expect((r as PromiseFulfilledResult<string>).value, name).toBe(TEXT);
    }
  });

  it('used the 402 key exactly once and the 401 key once, then never again', () => {
    const log = h.fake.keyLog();
    expect(log.get('k-quota-402-aaaaaa')?.count).toBe(1);
    expect(log.get('k-revoked-401-bbbb')?.count).toBe(1);
    expect(log.get('k-limited-429-cccc')?.count).toBe(1);
  });

  it('recorded every outcome against the key that produced it, as the upstream saw it', () => {
    const snapshot = h.services.keys.pool!.snapshot();
    for (const [key, stats] of h.fake.keyLog()) {
      const byStatus = Object.fromEntries(Object.entries(stats.statuses).map(([s, n]) => [s, n]));
      expect(view(snapshot, key).byStatus, key).toEqual(byStatus);
    }
  });

  it('retired, disabled and cooled only the keys that earned it; no healthy key was touched', () => {
    const snapshot = h.services.keys.pool!.snapshot();
    for (const key of GOOD) expect(view(snapshot, key).status, key).toBe('active');
    expect(view(snapshot, 'k-quota-402-aaaaaa')).toMatchObject({ status: 'retired' });
    expect(view(snapshot, 'k-quota-402-aaaaaa').reason).toContain('402');
    expect(view(snapshot, 'k-revoked-401-bbbb').status).toBe('disabled');
    expect(view(snapshot, 'k-limited-429-cccc').status).toBe('cooling');
    expect(JSON.stringify(snapshot)).not.toContain('k-good-1111111111');
  });

  it('keeps the 402 key retired after a restart on the same data directory', async () => {
    await h.close();
    h = await start();
    const routes = calls(h.url);
    const results = await Promise.all(Array.from({ length: 20 }, () => routes['chat non-stream']!()));
    expect(results.every((t) => t === TEXT)).toBe(true);
    expect(h.fake.keyLog().get('k-quota-402-aaaaaa')).toBeUndefined();
    expect(view(h.services.keys.pool!.snapshot(), 'k-quota-402-aaaaaa').status).toBe('retired');
  });
});

describe('when no key is usable', () => {
  it('answers in the client\'s dialect with Retry-After and the counts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd2a-dead-'));
    const dead = await startHarness({ env: { FACTORY_API_KEY: 'dead-1111111111;dead-2222222222', DATA_DIR: dir } });
    dead.fake.setKeyBehaviour('dead-1111111111', { status: 402 });
    dead.fake.setKeyBehaviour('dead-2222222222', { status: 401 });
    try {
      const first = await fetch(`${dead.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL_OF_TYPE.anthropic, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
      });
      // Both keys fail over and die on this first request; it gets the last upstream failure.
      expect([401, 402]).toContain(first.status);
      const res = await fetch(`${dead.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL_OF_TYPE.anthropic, messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('60');
      const body = (await res.json()) as { error: { message: string; type: string } };
      expect(body.error.message).toMatch(/1 retired, 1 disabled/);
    } finally {
      await dead.close();
    }
  });
});

describe('simple rotation through HTTP', () => {
  it('sends sequential requests to the keys strictly in turn', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd2a-simple-'));
    const config = JSON.parse(readFileSync(shippedConfigPath(), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, 'round-robin': 'simple' }));
    const keys = ['rot-1111111111111', 'rot-2222222222222', 'rot-3333333333333'];
    const simple = await startHarness({ env: { FACTORY_API_KEY: keys.join(';'), DROID2API_CONFIG: join(dir, 'config.json'), DATA_DIR: dir } });
    try {
      const anthropic = new Anthropic({ baseURL: simple.url, apiKey: 'x', maxRetries: 0 });
      for (let i = 0; i < 9; i++) {
        await anthropic.messages.create({ model: MODEL_OF_TYPE.anthropic, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
      }
      expect(simple.fake.requests.map((r) => r.key)).toEqual([...keys, ...keys, ...keys]);
    } finally {
      await simple.close();
    }
  });
});

describe('a client that goes away', () => {
  it('aborts the upstream call and costs the key nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd2a-abort-'));
    const g = await startHarness({ env: { FACTORY_API_KEY: 'abort-111111111111;abort-222222222222', DATA_DIR: dir } });
    try {
      g.fake.setScenario({ text: 'late', delayMs: 1_000 });
      const ac = new AbortController();
      const pending = fetch(`${g.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: MODEL_OF_TYPE.anthropic, messages: [{ role: 'user', content: 'hi' }] }),
        signal: ac.signal,
      }).catch((e: unknown) => e);
      // Gone once the upstream has the call (the fake holds its answer back by delayMs).
      await vi.waitFor(() => expect(g.fake.requests.length).toBeGreaterThan(0));
      ac.abort();
      expect(await pending).toBeInstanceOf(Error);
      // The lease reports the 499 when the aborted call settles.
      await vi.waitFor(() => expect(g.services.keys.pool!.snapshot().some((k) => k.byStatus['499'] === 1)).toBe(true));
      const snapshot = g.services.keys.pool!.snapshot();
      expect(snapshot.every((k) => k.status === 'active' && k.failure === 0)).toBe(true);
      expect(snapshot.some((k) => k.byStatus['499'] === 1)).toBe(true);
    } finally {
      await g.close();
    }
  });
});
