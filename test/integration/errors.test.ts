import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  // Client-authorization mode: upstream errors reach the client as they are, with no key
  // pool in between cooling or retiring anything (the pool has its own tests).
  h = await startHarness({ env: { FACTORY_API_KEY: '' } });
});
afterAll(async () => h.close());
beforeEach(() => h.fake.setScenario({}));

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(h.url + path, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer client-key', ...headers }, body });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

describe('bad input gets a clear answer in the client dialect, never a 500', () => {
  it('answers malformed JSON with 400 in the OpenAI shape on /v1/chat/completions', async () => {
    const r = await post('/v1/chat/completions', '{"model":');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(r.json.error).toHaveProperty('message');
    expect(r.json.error).toHaveProperty('param');
    expect(r.json.error).toHaveProperty('code');
  });

  it('answers malformed JSON with 400 in the Anthropic shape on /v1/messages', async () => {
    const r = await post('/v1/messages', '{oops');
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('answers an unknown model with 404 model_not_found (OpenAI) and not_found_error (Anthropic)', async () => {
    const openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const err = await openai.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.NotFoundError);
    expect((err as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');

    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'x', maxRetries: 0 });
    const aerr = await anthropic.messages.create({ model: 'nope', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(aerr).toBeInstanceOf(Anthropic.NotFoundError);
    expect((aerr as InstanceType<typeof Anthropic.NotFoundError>).error).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
  });

  it('rejects a missing model and missing messages with 400 naming the field', async () => {
    const noModel = await post('/v1/chat/completions', JSON.stringify({ messages: [] }));
    expect(noModel.status).toBe(400);
    expect(noModel.json).toMatchObject({ error: { param: 'model' } });
    const noMessages = await post('/v1/chat/completions', JSON.stringify({ model: MODEL_OF_TYPE.anthropic }));
    expect(noMessages.status).toBe(400);
    expect(noMessages.json).toMatchObject({ error: { type: 'invalid_request_error', param: 'messages' } });
  });

  it('serves an Anthropic body without max_tokens with a default', async () => {
    for (const model of [MODEL_OF_TYPE.anthropic, MODEL_OF_TYPE.openai]) {
      const r = await post('/v1/messages', JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }));
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ type: 'message', role: 'assistant' });
    }
  });

  it('answers an unknown route with 404 in the OpenAI shape', async () => {
    const r = await post('/v1/nothing', '{}');
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});

describe('upstream errors keep status, message and Retry-After, re-shaped for the client', () => {
  it('passes a 429 with Retry-After to an OpenAI client on a Claude model', async () => {
    h.fake.setScenario({ status: 429, retryAfter: 17, errorMessage: 'slow down please' });
    const r = await post('/v1/chat/completions', JSON.stringify({ model: MODEL_OF_TYPE.anthropic, messages: [{ role: 'user', content: 'hi' }] }));
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('17');
    expect(r.json).toMatchObject({ error: { type: 'rate_limit_error', message: 'slow down please' } });
  });

  it('passes a 402 to an Anthropic client on a GPT model as billing_error', async () => {
    h.fake.setScenario({ status: 402, errorMessage: 'insufficient balance' });
    const r = await post('/v1/messages', JSON.stringify({ model: MODEL_OF_TYPE.openai, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }));
    expect(r.status).toBe(402);
    expect(r.json).toMatchObject({ type: 'error', error: { type: 'billing_error', message: 'insufficient balance' } });
  });

  it('re-shapes an error on the pass-through path too', async () => {
    h.fake.setScenario({ status: 500, errorMessage: 'boom' });
    const r = await post('/v1/responses', JSON.stringify({ model: MODEL_OF_TYPE.openai, input: 'hi' }));
    expect(r.status).toBe(500);
    expect(r.json).toMatchObject({ error: { message: 'boom' } });
  });
});

describe('CORS', () => {
  it('answers a preflight allowing the headers browser SDKs send', async () => {
    const res = await fetch(`${h.url}/v1/messages`, {
      method: 'OPTIONS',
      headers: { origin: 'http://example.test', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-api-key, anthropic-version, anthropic-beta, x-session-id' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-headers')).toContain('anthropic-beta');
    expect(res.headers.get('access-control-allow-headers')).toContain('x-session-id');
  });

  it('lets a browser read answers and streams, and spares clients that send no Origin the headers', async () => {
    h.fake.setScenario({});
    const ask = (stream: boolean, headers: Record<string, string>) =>
      fetch(`${h.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer client-key', ...headers },
        body: JSON.stringify({ model: MODEL_OF_TYPE.anthropic, stream, messages: [{ role: 'user', content: 'hi' }] }),
      });
    for (const stream of [false, true]) {
      const browser = await ask(stream, { origin: 'http://example.test' });
      await browser.text();
      expect(browser.status).toBe(200);
      expect(browser.headers.get('access-control-allow-origin')).toBe('*');
      expect(browser.headers.get('access-control-expose-headers')).toContain('retry-after');
      const sdk = await ask(stream, {});
      await sdk.text();
      expect(sdk.status).toBe(200);
      expect(sdk.headers.get('access-control-allow-origin')).toBeNull();
    }
  });
});

describe('models and service info', () => {
  it('lists models in the OpenAI list format with created in seconds', async () => {
    const openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const page = await openai.models.list();
    const ids = page.data.map((m) => m.id);
    expect(ids).toContain(MODEL_OF_TYPE.anthropic);
    const m = page.data[0]!;
    expect(m.object).toBe('model');
    expect(m.created).toBeLessThan(10_000_000_000);
    expect(typeof m.owned_by).toBe('string');
  });

  it('accepts a query string on /v1/messages (Claude Code sends ?beta=true)', async () => {
    const r = await post('/v1/messages?beta=true', JSON.stringify({ model: MODEL_OF_TYPE.anthropic, max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }));
    expect(r.status).toBe(200);
  });
});

describe('model list for both SDKs', () => {
  it('answers the Anthropic SDK\'s models.list and models.retrieve too', async () => {
    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'x', maxRetries: 0 });
    const page = await anthropic.models.list();
    expect(page.data.map((m) => m.id)).toContain(MODEL_OF_TYPE.anthropic);
    expect(page.data[0]).toMatchObject({ type: 'model', display_name: expect.any(String), created_at: expect.any(String) });
    const one = await anthropic.models.retrieve(MODEL_OF_TYPE.openai);
    expect(one.id).toBe(MODEL_OF_TYPE.openai);
  });
});

describe('Gemini model list', () => {
  it('answers the Gemini SDK\'s models.list and models.get', async () => {
    const ai = new GoogleGenAI({ apiKey: 'x', httpOptions: { baseUrl: h.url } });
    const names: string[] = [];
    for await (const m of await ai.models.list()) names.push(m.name ?? '');
    expect(names).toContain(`models/${MODEL_OF_TYPE.google}`);
    expect((await ai.models.get({ model: MODEL_OF_TYPE.anthropic })).name).toBe(`models/${MODEL_OF_TYPE.anthropic}`);
  });
});
