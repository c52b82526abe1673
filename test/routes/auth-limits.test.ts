import { connect } from 'node:net';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

const KEY = 'gw-limits-key';
const CHAT = { model: 'gpt-5.4', messages: [{ role: 'user', content: 'hi' }] };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_API_KEY: KEY, ADMIN_KEY: 'admin-limits-key', AUTH_FAILURES_PER_MINUTE: '3', TRUST_PROXY: '127.0.0.1' } });
  h.fake.setScenario({ text: 'ok' });
});
afterAll(async () => h.close());

const post = (path: string, headers: Record<string, string>, body: unknown = CHAT) =>
  fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** Sends the head of a request announcing `length` bytes and only 1 KB of them; resolves to the answer's status line. */
function headOnly(path: string, length: number, headers = ''): Promise<string> {
  const { port } = new URL(h.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.write(`POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${length}\r\n${headers}\r\n`);
      socket.write('x'.repeat(1024));
    });
    let text = '';
    socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      if (text.includes('\r\n')) {
        resolve(text.split('\r\n', 1)[0]!);
        socket.destroy();
      }
    });
    socket.on('error', reject);
  });
}

describe('bodies are read only after authentication and routing', () => {
  it('a 20 MB post to an unknown path, or to an API route without the key, is answered before its body arrives', async () => {
    const big = 20 * 1024 * 1024;
    expect(await headOnly('/no/such/path', big)).toMatch(/ 404 /);
    expect(await headOnly('/v1/chat/completions', big, 'x-forwarded-for: 10.9.9.1\r\n')).toMatch(/ 401 /);
    expect(await headOnly('/admin/api/keys', big, 'x-forwarded-for: 10.9.9.1\r\n')).toMatch(/ 401 /);
  });

  it('API routes take large bodies once authenticated; admin and status routes a small one', async () => {
    const padding = 'p'.repeat(200 * 1024);
    expect((await post('/v1/chat/completions', { authorization: `Bearer ${KEY}` }, { ...CHAT, user: padding })).status).toBe(200);
    expect((await post('/admin/api/keys', { 'x-admin-key': 'admin-limits-key' }, { key: padding })).status).toBe(413);
  });
});

describe('guessing keys is slowed', () => {
  it('after the limit of wrong keys an address gets 429 with Retry-After in the route dialect, even with the right key; other addresses are not affected', async () => {
    const from = (ip: string, key: string) => ({ 'x-forwarded-for': ip, 'x-api-key': key, 'anthropic-version': '2023-06-01' });
    const body = { model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] };
    for (let i = 0; i < 3; i++) expect((await post('/v1/messages', from('10.0.0.1', `wrong-${i}`), body)).status).toBe(401);
    const limited = await post('/v1/messages', from('10.0.0.1', 'wrong-3'), body);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.json()).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect((await post('/v1/messages', from('10.0.0.1', KEY), body)).status).toBe(429);
    // A neighbour's success resets nothing, and a neighbour is not blocked.
    expect((await post('/v1/messages', from('10.0.0.2', KEY), body)).status).toBe(200);
    expect((await post('/v1/messages', from('10.0.0.1', KEY), body)).status).toBe(429);
    // The admin key shares the count.
    expect((await fetch(`${h.url}/admin/api/keys`, { headers: { 'x-forwarded-for': '10.0.0.1', 'x-admin-key': 'admin-limits-key' } })).status).toBe(429);
  });

  it('X-Forwarded-For is believed only from the proxy TRUST_PROXY names', async () => {
    const g = await startHarness({ env: { GATEWAY_API_KEY: KEY, AUTH_FAILURES_PER_MINUTE: '2' } });
    try {
      const wrong = (ip: string) => fetch(`${g.url}/v1/models`, { headers: { 'x-forwarded-for': ip, authorization: 'Bearer wrong' } });
      expect((await wrong('10.1.0.1')).status).toBe(401);
      expect((await wrong('10.1.0.2')).status).toBe(401);
      // A different claimed address does not escape: the connection's address is counted.
      expect((await wrong('10.1.0.3')).status).toBe(429);
    } finally {
      await g.close();
    }
  });
});

describe('forgiving routes', () => {
  it('an OpenAI SDK without /v1 and an Anthropic SDK with /v1 in the base URL both work', async () => {
    const openai = new OpenAI({ baseURL: h.url, apiKey: KEY, maxRetries: 0, defaultHeaders: { 'x-forwarded-for': '10.2.0.1' } });
    expect((await openai.chat.completions.create(CHAT as OpenAI.ChatCompletionCreateParamsNonStreaming)).choices[0]!.message.content).toBe('ok');
    expect((await openai.models.list()).data.length).toBeGreaterThan(0);
    const anthropic = new Anthropic({ baseURL: `${h.url}/v1`, apiKey: KEY, maxRetries: 0, defaultHeaders: { 'x-forwarded-for': '10.2.0.1' } });
    const m = await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    expect(m.content[0]).toMatchObject({ type: 'text', text: 'ok' });
    const count = await anthropic.messages.countTokens({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }] });
    expect(count.input_tokens).toBeGreaterThan(0);
  });

  it('without a key the forgiving forms are refused like the route itself', async () => {
    expect((await post('/chat/completions', { 'x-forwarded-for': '10.3.0.1' })).status).toBe(401);
    expect((await post('/v1/v1/messages', { 'x-forwarded-for': '10.3.0.1' })).status).toBe(401);
  });

  it('a wrong method answers 405 with Allow; an unknown path 404 in the dialect it suggests, naming the closest route and the base URL', async () => {
    const get = await fetch(`${h.url}/v1/messages`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toMatchObject({ type: 'error' });
    const anthropic = await post('/api/v1/messages', {});
    expect(anthropic.status).toBe(404);
    const a = (await anthropic.json()) as { type: string; error: { type: string; message: string } };
    expect(a).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect(a.error.message).toContain('POST /v1/messages');
    expect(a.error.message).toContain('without /v1');
    const openai = await post('/v2/chat/completion', {});
    const o = (await openai.json()) as { error: { message: string; code: string } };
    expect(o.error.code).toBe('not_found');
    expect(o.error.message).toContain('POST /v1/chat/completions');
    expect(o.error.message).toContain(`${new URL(h.url).host}/v1`);
    const google = await post('/v1beta/model/gemini-3-flash-preview:generateContent', {});
    expect(await google.json()).toMatchObject({ error: { status: 'NOT_FOUND' } });
  });
});
