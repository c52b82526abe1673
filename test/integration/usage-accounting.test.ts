/**
 * The tokens each answer used are counted on the key that served it, on every path: the
 * pass-through routes (whose bytes are forwarded untouched while a parser reads along),
 * the converted ones, streamed or not, split into odd pieces by the fake.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

const USAGE = { input: 120, output: 45, cached: 20 };

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ fake: { chunking: { seed: 7, maxSize: 23 } } });
  h.fake.setScenario({ text: 'Counted answer with ümlauts and 👋', thinking: 'Think.', usage: USAGE });
});
afterAll(async () => h.close());

interface Case {
  name: string;
  path: string;
  body: (stream: boolean) => Record<string, unknown>;
  headers?: Record<string, string>;
}

const user = 'Count me.';
const CASES: Case[] = [
  { name: 'anthropic pass-through', path: '/v1/messages', headers: { 'anthropic-version': '2023-06-01' }, body: (stream) => ({ model: MODEL_OF_TYPE.anthropic, max_tokens: 256, stream, messages: [{ role: 'user', content: user }] }) },
  { name: 'responses pass-through', path: '/v1/responses', body: (stream) => ({ model: MODEL_OF_TYPE.openai, stream, input: user }) },
  { name: 'chat pass-through', path: '/v1/chat/completions', body: (stream) => ({ model: MODEL_OF_TYPE.common, stream, messages: [{ role: 'user', content: user }] }) },
  { name: 'gemini pass-through', path: `/v1beta/models/${MODEL_OF_TYPE.google}:generateContent`, body: () => ({ contents: [{ role: 'user', parts: [{ text: user }] }] }) },
  { name: 'gemini pass-through (SSE)', path: `/v1beta/models/${MODEL_OF_TYPE.google}:streamGenerateContent?alt=sse`, body: () => ({ contents: [{ role: 'user', parts: [{ text: user }] }] }) },
  { name: 'chat → anthropic', path: '/v1/chat/completions', body: (stream) => ({ model: MODEL_OF_TYPE.anthropic, stream, messages: [{ role: 'user', content: user }] }) },
  { name: 'anthropic → responses', path: '/v1/messages', body: (stream) => ({ model: MODEL_OF_TYPE.openai, max_tokens: 256, stream, messages: [{ role: 'user', content: user }] }) },
  { name: 'responses → gemini', path: '/v1/responses', body: (stream) => ({ model: MODEL_OF_TYPE.google, stream, input: user }) },
];

function counters() {
  const [key] = h.services.keys.pool!.snapshot();
  return { in: key!.tokensIn, out: key!.tokensOut, cached: key!.tokensCached };
}

describe('token usage on the key', () => {
  for (const c of CASES) {
    // Gemini's routes say in the path whether they stream.
    const modes = c.path.includes(':generateContent') ? [false] : c.path.includes(':streamGenerateContent') ? [true] : [false, true];
    for (const stream of modes) {
      it(`${c.name}, ${stream ? 'stream' : 'JSON'}: prompt, cached and completion tokens counted once`, async () => {
        const before = counters();
        const res = await fetch(h.url + c.path, { method: 'POST', headers: { 'content-type': 'application/json', ...c.headers }, body: JSON.stringify(c.body(stream)) });
        const text = await res.text();
        expect(res.status, text).toBe(200);
        // Usage is reported when the stream ends, which may be just after the last byte left.
        await vi.waitFor(() => {
          const after = counters();
          expect({ in: after.in - before.in, out: after.out - before.out, cached: after.cached - before.cached }).toEqual({
            in: USAGE.input,
            out: USAGE.output,
            cached: USAGE.cached,
          });
        });
      });
    }
  }
});

describe('a passed-through Chat stream', () => {
  const chunksOf = (text: string) =>
    text
      .split('\n\n')
      .filter((e) => e.startsWith('data: ') && e !== 'data: [DONE]')
      .map((e) => JSON.parse(e.slice('data: '.length)) as { choices: unknown[]; usage?: unknown });

  async function stream(streamOptions?: Record<string, unknown>) {
    h.fake.requests.length = 0;
    const body = { model: MODEL_OF_TYPE.common, stream: true, messages: [{ role: 'user', content: user }], ...(streamOptions ? { stream_options: streamOptions } : {}) };
    const res = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    return { text, upstream: h.fake.requests.at(-1)!.body as { stream_options?: unknown } };
  }

  it('asks the upstream for usage but hides the usage chunk from a client that did not ask for it', async () => {
    const { text, upstream } = await stream();
    expect(upstream.stream_options).toEqual({ include_usage: true });
    const chunks = chunksOf(text);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.every((c) => c.choices.length > 0)).toBe(true);
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    expect(chunks.map((c) => (c.choices[0] as { delta?: { content?: string } }).delta?.content ?? '').join('')).toBe('Counted answer with ümlauts and 👋');
  });

  it('passes the usage chunk to a client that asked for it', async () => {
    const { text, upstream } = await stream({ include_usage: true });
    expect(upstream.stream_options).toEqual({ include_usage: true });
    const last = chunksOf(text).at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: USAGE.input, completion_tokens: USAGE.output });
  });
});

describe('an upstream that answers whole JSON to a streaming request', () => {
  // Gemini in the fake's json mode answers one GenerateContentResponse whatever was asked:
  // the gateway then writes the client's stream from the whole answer, in one write.
  let json: Harness;
  beforeAll(async () => {
    json = await startHarness({ fake: { googleMode: 'json' } });
    json.fake.setScenario({ text: 'Whole answer.', usage: USAGE });
  });
  afterAll(async () => json.close());

  it('streams the answer to the client and counts its tokens on the key', async () => {
    const body = { model: MODEL_OF_TYPE.google, stream: true, messages: [{ role: 'user', content: user }] };
    const res = await fetch(`${json.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    expect(text).toContain('"content":"Whole answer."');
    expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);
    const [key] = json.services.keys.pool!.snapshot();
    expect({ in: key!.tokensIn, out: key!.tokensOut, cached: key!.tokensCached }).toEqual({ in: USAGE.input, out: USAGE.output, cached: USAGE.cached });
  });
});
