import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { shippedConfigPath } from '../../src/config/load.js';
import { fingerprint } from '../../src/keys/credential.js';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * Per-attempt upstream limits against a fake Factory whose keys hang: the first-byte limit
 * fails an attempt over to another key long before upstream_timeout_ms, and the client
 * hears `upstream_timeout` in its dialect only when no key is left.
 */

const HUNG = 'k-hung-aaaaaaaaaa';
const MUTE = 'k-mute-bbbbbbbbbb';
const GOOD = 'k-good-cccccccccc';

async function harness(keys: string[]): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'd2a-timeouts-'));
  const shipped = JSON.parse(readFileSync(shippedConfigPath(), 'utf8')) as Record<string, unknown>;
  // The headers timeout and failover deadline stay far above what a test may take.
  const config = { ...shipped, upstream_timeout_ms: 600_000, first_byte_timeout_ms: 300, idle_timeout_ms: 300, max_attempts: 3 };
  writeFileSync(join(dir, 'config.json'), JSON.stringify(config));
  const h = await startHarness({ env: { FACTORY_API_KEY: keys.join(';'), DROID2API_CONFIG: join(dir, 'config.json'), DATA_DIR: dir } });
  h.fake.setKeyBehaviour(HUNG, { hang: 'headers' });
  h.fake.setKeyBehaviour(MUTE, { hang: 'body' });
  return h;
}

async function post(h: Harness, path: string, body: unknown) {
  const res = await fetch(h.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, text, said: said(text) };
}

/** The answer's text pieces joined, whatever the dialect and however the stream split them. */
function said(text: string): string {
  return [...text.matchAll(/"(?:text|content|delta)":"([^"]*)"/g)].map((m) => m[1]).join('');
}

const messages = [{ role: 'user', content: 'hi' }];
const REQUESTS: Array<{ name: string; path: string; body: unknown }> = [
  { name: 'anthropic pass-through stream', path: '/v1/messages', body: { model: 'claude-sonnet-4-6', max_tokens: 20, messages, stream: true } },
  { name: 'chat → anthropic converted stream', path: '/v1/chat/completions', body: { model: 'claude-sonnet-4-6', messages, stream: true } },
  { name: 'chat → gemini, not a stream (Gemini always streams)', path: '/v1/chat/completions', body: { model: 'gemini-3-flash-preview', messages } },
  { name: 'responses pass-through stream', path: '/v1/responses', body: { model: 'gpt-5.4', input: 'hi', stream: true } },
];

describe('a hung key beside a good one', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness([HUNG, MUTE, GOOD]);
    h.fake.setScenario({ text: 'GOOD42' });
  });
  afterAll(async () => h.close());

  for (const r of REQUESTS) {
    it(`serves a ${r.name} from the good key once the hung ones pass the first-byte limit`, async () => {
      const before = h.fake.keyLog().get(GOOD)?.count ?? 0;
      for (let i = 0; i < 3; i++) {
        const answer = await post(h, r.path, r.body);
        expect(answer.status).toBe(200);
        expect(answer.said).toContain('GOOD42');
      }
      expect(h.fake.keyLog().get(GOOD)?.count).toBe(before + 3);
    });
  }

  it('tried the hung keys and counted them as failures of the key', () => {
    expect(h.fake.keyLog().get(HUNG)?.count).toBeGreaterThan(0);
    expect(h.fake.keyLog().get(MUTE)?.count).toBeGreaterThan(0);
    const views = h.services.keys.pool?.snapshot() ?? [];
    const hung = views.find((v) => v.fingerprint === fingerprint(HUNG));
    expect(hung?.failure ?? 0).toBeGreaterThan(0);
    expect(hung?.byStatus['0'] ?? 0).toBeGreaterThan(0);
  });
});

describe('every key hung', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness([HUNG, MUTE]);
  });
  afterAll(async () => h.close());
  beforeEach(() => h.fake.reset());

  it('answers 504 timeout_error in the Anthropic shape after trying each key once', async () => {
    h.fake.setKeyBehaviour(HUNG, { hang: 'headers' });
    h.fake.setKeyBehaviour(MUTE, { hang: 'body' });
    const r = await post(h, '/v1/messages', { model: 'claude-sonnet-4-6', max_tokens: 20, messages, stream: true });
    expect(r.status).toBe(504);
    expect(JSON.parse(r.text)).toMatchObject({ type: 'error', error: { type: 'timeout_error' } });
    expect(h.fake.requests.map((q) => q.key).sort()).toEqual([HUNG, MUTE].sort());
  });

  it('answers 504 in the OpenAI shape on a converted stream', async () => {
    h.fake.setKeyBehaviour(HUNG, { hang: 'headers' });
    h.fake.setKeyBehaviour(MUTE, { hang: 'body' });
    const r = await post(h, '/v1/chat/completions', { model: 'claude-sonnet-4-6', messages, stream: true });
    expect(r.status).toBe(504);
    expect(JSON.parse(r.text)).toMatchObject({ error: { type: 'timeout_error' } });
  });
});

describe('a stream that stalls after the client got its first bytes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await harness([GOOD]);
    h.fake.setScenario({ text: 'BEGUN', midStream: 'stall' });
  });
  afterAll(async () => h.close());

  it('ends with the dialect error event once the idle limit passes, with no second attempt', async () => {
    const r = await post(h, '/v1/messages', { model: 'claude-sonnet-4-6', max_tokens: 20, messages, stream: true });
    expect(r.status).toBe(200);
    expect(r.said).toContain('BEG');
    expect(r.text).toMatch(/event: error\ndata: \{"type":"error","error":\{"type":"timeout_error"/);
    expect(h.fake.requests).toHaveLength(1);
  });
});
