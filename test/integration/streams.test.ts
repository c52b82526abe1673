import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeSse } from '../../src/upstream/sse/sse-decoder.js';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

const TEXT = '多字节 ✓ émoji 👩‍💻 — done';

let h: Harness;
beforeAll(async () => {
  // Client-authorization mode: a mid-stream failure must reach the client, not cool a key.
  h = await startHarness({ env: { FACTORY_API_KEY: '' }, fake: { chunking: 'every-byte', pings: true } });
});
afterAll(async () => h.close());

const openai = () => new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
const anthropic = () => new Anthropic({ baseURL: h.url, authToken: 'client-key', apiKey: null, maxRetries: 0 });

async function rawStream(path: string, body: object): Promise<Array<{ event?: string; data: string }>> {
  const res = await fetch(h.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer client-key' },
    body: JSON.stringify(body),
  });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const out = [];
  for await (const ev of decodeSse(res.body as AsyncIterable<Uint8Array>)) out.push(ev);
  return out;
}

describe('streams split at every byte arrive intact', () => {
  it('pass-through (Anthropic client, Claude model) keeps multi-byte text whole', async () => {
    h.fake.setScenario({ text: TEXT });
    const m = await anthropic().messages.stream({ model: MODEL_OF_TYPE.anthropic, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
    expect(m.content).toEqual([expect.objectContaining({ type: 'text', text: TEXT })]);
  });

  it('converted (OpenAI chat client, Gemini model with CRLF frames) keeps multi-byte text whole', async () => {
    h.fake.setScenario({ text: TEXT });
    let text = '';
    for await (const c of await openai().chat.completions.create({ model: MODEL_OF_TYPE.google, messages: [{ role: 'user', content: 'hi' }], stream: true })) {
      text += c.choices[0]?.delta.content ?? '';
    }
    expect(text).toBe(TEXT);
  });
});

describe('a failure after the answer began is the dialect\'s error event, never a silent end', () => {
  it('ends an OpenAI chat stream with an error chunk when the Claude upstream sends an error event', async () => {
    h.fake.setScenario({ text: TEXT, midStream: 'error-event' });
    const events = await rawStream('/v1/chat/completions', { model: MODEL_OF_TYPE.anthropic, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    const last = events.filter((e) => e.data !== '[DONE]').at(-1)!;
    expect(JSON.parse(last.data)).toMatchObject({ error: { type: expect.any(String), message: expect.any(String) } });
  });

  it('ends an Anthropic stream with an error event when the GPT upstream connection is cut', async () => {
    h.fake.setScenario({ text: TEXT, midStream: 'cut' });
    const events = await rawStream('/v1/messages', { model: MODEL_OF_TYPE.openai, max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(events.at(-1)).toMatchObject({ event: 'error' });
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ type: 'error', error: { type: expect.any(String) } });
  });

  it('appends the client dialect\'s error event to a pass-through stream whose connection is cut', async () => {
    h.fake.setScenario({ text: TEXT, midStream: 'cut' });
    const events = await rawStream('/v1/messages', { model: MODEL_OF_TYPE.anthropic, max_tokens: 50, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(events.some((e) => e.event === 'content_block_delta')).toBe(true);
    expect(events.at(-1)).toMatchObject({ event: 'error' });
  });

  it('makes the Responses stream fail with response.failed when the chat upstream sends an error', async () => {
    h.fake.setScenario({ text: TEXT, midStream: 'error-event' });
    const events = await rawStream('/v1/responses', { model: MODEL_OF_TYPE.common, stream: true, input: 'hi' });
    expect(events.at(-1)?.event).toBe('response.failed');
  });
});

describe('Factory headers', () => {
  it('keeps one conversation one upstream session and names the provider', async () => {
    h.fake.setScenario({ text: 'ok' });
    const session = '0b3f6a52-1c43-4f6e-9d7b-6d1f1a2b3c4d';
    for (let i = 0; i < 2; i++) {
      await fetch(`${h.url}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': 'client-key', 'x-claude-code-session-id': session, 'anthropic-beta': 'context-management-2025-06-27' },
        body: JSON.stringify({ model: 'claude-opus-4-6-fast', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }),
      });
    }
    const [a, b] = h.fake.requests.slice(-2).map((r) => r.headers);
    expect(a!['x-session-id']).toBe(session);
    expect(b!['x-session-id']).toBe(session);
    expect(a!['x-assistant-message-id']).not.toBe(b!['x-assistant-message-id']);
    expect(a!['x-api-provider']).toBe('anthropic');
    expect(a!['x-factory-client']).toBe('cli');
    expect(a!['user-agent']).toMatch(/^factory-cli\//);
    expect(a!['anthropic-version']).toBe('2023-06-01');
    expect(String(a!['anthropic-beta'])).toContain('context-management-2025-06-27');
    expect(String(a!['anthropic-beta'])).toContain('fast-mode-2026-02-01');
    expect(a!.authorization).toBe('Bearer client-key');
  });

  it('injects the configured system prompt first and keeps the client\'s own string system prompt', async () => {
    h.fake.setScenario({ text: 'ok' });
    await anthropic().messages.create({ model: MODEL_OF_TYPE.anthropic, max_tokens: 5, system: 'Client system.', messages: [{ role: 'user', content: 'hi' }] });
    const body = h.fake.requests.at(-1)!.body as { system: Array<{ text: string }> };
    expect(body.system[0]!.text).toMatch(/^You are Droid/);
    expect(body.system.map((b) => b.text)).toContain('Client system.');
  });
});

describe('count_tokens', () => {
  it('forwards for Claude models and estimates locally for the others', async () => {
    const forwarded = await anthropic().messages.countTokens({ model: MODEL_OF_TYPE.anthropic, messages: [{ role: 'user', content: 'hello there' }] });
    expect(forwarded.input_tokens).toBeGreaterThan(0);
    expect(h.fake.requests.at(-1)!.path).toBe('/api/llm/a/v1/messages/count_tokens');
    const before = h.fake.requests.length;
    const local = await anthropic().messages.countTokens({ model: MODEL_OF_TYPE.openai, messages: [{ role: 'user', content: 'hello there' }] });
    expect(local.input_tokens).toBeGreaterThan(0);
    expect(h.fake.requests.length).toBe(before);
  });
});
