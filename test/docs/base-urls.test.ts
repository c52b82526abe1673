import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * README "Connecting clients": each base URL the table gives, and the usual wrong ones, in the
 * official SDKs. Each either answers or fails with a 404 that names the base URL to configure.
 * The gateway requires a gateway key here, so the forgiving forms pass the same key check.
 */
const KEY = 'docs-gateway-key-0123456789';
const MODEL = 'claude-sonnet-4-6';
const GEMINI = 'gemini-3-flash-preview';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_API_KEY: KEY } });
});
afterAll(async () => h?.close());

const forms = (suffixes: string[]) => suffixes.map((s) => ({ suffix: s, base: () => `${h.url}${s}` }));

describe('OpenAI SDK (curl, Codex, Cursor, Cline, Cherry Studio use the same paths)', () => {
  // Documented: …/v1; also accepted: without /v1, with a trailing slash, doubled /v1.
  for (const { suffix, base } of forms(['/v1', '', '/v1/', '/v1/v1'])) {
    it(`baseURL ${suffix || '(host only)'}: chat, responses and the model list answer`, async () => {
      const client = new OpenAI({ baseURL: base(), apiKey: KEY, maxRetries: 0 });
      const chat = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
      expect(chat.choices[0]!.message.content).toContain(MODEL);
      const responses = await client.responses.create({ model: 'gpt-5.4', input: 'hi' });
      expect(responses.output_text).toContain('gpt-5.4');
      const models = await client.models.list();
      expect(models.data.map((m) => m.id)).toContain(MODEL);
    });
  }

  it('a base URL with an extra prefix (…/api/v1) gets a 404 naming the route and the base URL with /v1', async () => {
    const client = new OpenAI({ baseURL: `${h.url}/api/v1`, apiKey: KEY, maxRetries: 0 });
    const err = await client.chat.completions.create({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    const message = (err as InstanceType<typeof OpenAI.NotFoundError>).message;
    expect(message).toContain('Closest route: POST /v1/chat/completions');
    expect(message).toContain(`(${h.url}/v1)`);
  });
});

describe('Anthropic SDK (Claude Code uses the same paths)', () => {
  // Documented: the host without /v1; also accepted: with /v1, with a trailing slash.
  for (const { suffix, base } of forms(['', '/v1', '/'])) {
    it(`baseURL ${suffix || '(host only)'}: messages, a stream and count_tokens answer`, async () => {
      const client = new Anthropic({ baseURL: base(), apiKey: KEY, maxRetries: 0 });
      const message = await client.messages.create({ model: 'gpt-5.4', max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
      expect(message.content[0]).toMatchObject({ type: 'text' });
      const final = await client.messages.stream({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }).finalMessage();
      expect(final.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining(MODEL) });
      const count = await client.messages.countTokens({ model: MODEL, messages: [{ role: 'user', content: 'hi' }] });
      expect(count.input_tokens).toBeGreaterThan(0);
    });
  }

  it('an authToken (ANTHROPIC_AUTH_TOKEN, Bearer) works like an apiKey', async () => {
    const client = new Anthropic({ baseURL: h.url, apiKey: null, authToken: KEY, maxRetries: 0 });
    const message = await client.messages.create({ model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] });
    expect(message.content[0]).toMatchObject({ type: 'text', text: expect.stringContaining(MODEL) });
  });
});

describe('Gemini SDK (@google/genai)', () => {
  const gemini = (baseUrl: string) => new GoogleGenAI({ apiKey: KEY, httpOptions: { baseUrl } });

  it('baseUrl = the host: generateContent and its stream answer, on a Gemini and on a Claude model', async () => {
    const client = gemini(h.url);
    const answer = await client.models.generateContent({ model: GEMINI, contents: 'hi' });
    expect(answer.text).toContain(GEMINI);
    let streamed = '';
    for await (const chunk of await client.models.generateContentStream({ model: MODEL, contents: 'hi' })) streamed += chunk.text ?? '';
    expect(streamed).toContain(MODEL);
  });

  it('baseUrl = the host with a trailing slash answers too', async () => {
    const answer = await gemini(`${h.url}/`).models.generateContent({ model: GEMINI, contents: 'hi' });
    expect(answer.text).toContain(GEMINI);
  });

  // The SDK adds /v1beta itself: a version in the base URL doubles it.
  for (const suffix of ['/v1', '/v1beta']) {
    it(`baseUrl …${suffix} gets a 404 in Gemini's shape that names the base URL without a version`, async () => {
      const err = await gemini(`${h.url}${suffix}`).models.generateContent({ model: GEMINI, contents: 'hi' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      const message = (err as Error & { status?: number }).message;
      expect((err as { status?: number }).status).toBe(404);
      expect(message).toContain('NOT_FOUND');
      expect(message).toContain('Closest route: POST /v1beta/models/{model}:generateContent');
      expect(message).toContain(`the Gemini SDK takes the base URL without a version (${h.url})`);
    });
  }
});
