import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { at, list, post, postJson, readSse, sseJson } from './client.js';
import { startFakeFactory, type FakeFactory, type FakeFactoryOptions } from './index.js';

const MESSAGES = '/api/llm/a/v1/messages';
const CHAT = '/api/llm/o/v1/chat/completions';
const RESPONSES = '/api/llm/o/v1/responses';
const GENERATE = '/api/llm/g/v1/generate';
const anthropic = { model: 'claude-x', max_tokens: 100, stream: true, messages: [{ role: 'user', content: 'Hi' }] };
const chat = { model: 'gpt-x', stream: true, messages: [{ role: 'user', content: 'Hi' }] };
const UNICODE = '你好, мир 👋🏽 — ok';

let fake: FakeFactory;
const extra: FakeFactory[] = [];

async function start(options: FakeFactoryOptions): Promise<FakeFactory> {
  const f = await startFakeFactory(options);
  extra.push(f);
  return f;
}

function streamedText(body: Buffer): string {
  return sseJson({ status: 200, headers: {}, body, reads: 0, aborted: false })
    .map((d) => at(d, 'delta', 'text') ?? '')
    .join('');
}

beforeAll(async () => {
  fake = await startFakeFactory();
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());
afterEach(async () => {
  await Promise.all(extra.splice(0).map((f) => f.close()));
});

describe('routing and auth', () => {
  it('answers 404 JSON for an unknown path, in the shape of its provider family', async () => {
    const { status, json } = await postJson(fake.url, '/api/llm/a/v1/complete', {});
    expect(status).toBe(404);
    expect(json).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect((await postJson(fake.url, '/v1/chat/completions', {})).status).toBe(404);
  });

  it('answers 401 in the provider shape when the bearer token is missing', async () => {
    const { status, json } = await postJson(fake.url, CHAT, chat, null);
    expect(status).toBe(401);
    expect(json).toMatchObject({ error: { type: 'invalid_request_error', code: 'invalid_api_key' } });
    const google = await postJson(fake.url, GENERATE, {}, null);
    expect(google.json).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
  });

  it('serves requests without a key when requireAuth is false', async () => {
    const open = await start({ requireAuth: false });
    expect((await post(open.url, CHAT, chat, null)).status).toBe(200);
  });

  it('records every request, invalid ones included, with lower-case headers and the key', async () => {
    await post(fake.url, `${MESSAGES}?beta=true`, anthropic, 'k1', { 'X-Trace': 'abc' });
    await post(fake.url, CHAT, '{not json', 'k2');
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[0]).toMatchObject({ path: MESSAGES, key: 'k1', body: anthropic, headers: { 'x-trace': 'abc' } });
    expect(fake.requests[0]?.at).toBeTypeOf('number');
    expect(fake.requests[1]).toMatchObject({ path: CHAT, key: 'k2', body: '{not json' });
  });

  it('hands each request to a scenario function', async () => {
    fake.setScenario((req) => ({ text: `you sent ${req.path}` }));
    expect(streamedText((await post(fake.url, MESSAGES, anthropic)).body)).toBe(`you sent ${MESSAGES}`);
  });
});

describe('per-key behaviour', () => {
  it('answers each key its overlay status and counts statuses per key', async () => {
    fake.setKeyBehaviour('broke', { status: 402 });
    fake.setKeyBehaviour('busy', { status: 429, retryAfter: 7 });
    const broke = await postJson(fake.url, MESSAGES, anthropic, 'broke');
    expect(broke.status).toBe(402);
    expect(broke.json).toMatchObject({ type: 'error', error: { type: 'billing_error', message: 'insufficient balance' } });
    const busy = await post(fake.url, CHAT, chat, 'busy');
    expect(busy.status).toBe(429);
    expect(busy.headers['retry-after']).toBe('7');
    await post(fake.url, MESSAGES, anthropic, 'good');
    await post(fake.url, MESSAGES, anthropic, 'broke');
    fake.setKeyBehaviour('broke', undefined);
    await post(fake.url, MESSAGES, anthropic, 'broke');
    const log = fake.keyLog();
    expect(log.get('broke')).toEqual({ count: 3, statuses: { 402: 2, 200: 1 } });
    expect(log.get('busy')).toEqual({ count: 1, statuses: { 429: 1 } });
    expect(log.get('good')).toEqual({ count: 1, statuses: { 200: 1 } });
  });

  it('lays the key overlay over the scenario and uses errorMessage', async () => {
    fake.setScenario({ text: 'scenario text' });
    fake.setKeyBehaviour('k', { status: 503, errorMessage: 'down for maintenance' });
    const { json } = await postJson(fake.url, GENERATE, { model: 'gemini-2.5-pro', contents: [] }, 'k');
    expect(json).toEqual({ error: { code: 503, message: 'down for maintenance', status: 'UNAVAILABLE' } });
    expect(streamedText((await post(fake.url, MESSAGES, anthropic, 'other')).body)).toBe('scenario text');
  });

  it('forgets keys, scenario and requests on reset', async () => {
    fake.setKeyBehaviour('k', { status: 500 });
    await post(fake.url, CHAT, chat, 'k');
    fake.reset();
    expect(fake.requests).toHaveLength(0);
    expect(fake.keyLog().size).toBe(0);
    expect((await post(fake.url, CHAT, chat, 'k')).status).toBe(200);
  });
});

describe('transport', () => {
  it('splits the body into single bytes with every-byte chunking, keeping multi-byte text intact', async () => {
    const bytewise = await start({ chunking: 'every-byte' });
    bytewise.setScenario({ text: UNICODE });
    const raw = await post(bytewise.url, MESSAGES, anthropic);
    expect(raw.reads).toBeGreaterThan(200);
    expect(raw.body.toString('utf8')).not.toContain('\uFFFD');
    expect(streamedText(raw.body)).toBe(UNICODE);
  });

  it('cuts seeded random pieces and the stream still reassembles', async () => {
    const seeded = await start({ chunking: { seed: 42, maxSize: 7 } });
    seeded.setScenario({ text: UNICODE });
    const raw = await post(seeded.url, MESSAGES, anthropic);
    expect(raw.reads).toBeGreaterThan(20);
    expect(streamedText(raw.body)).toBe(UNICODE);
  });

  it('writes the whole body at once with whole chunking', async () => {
    const whole = await start({ chunking: 'whole' });
    const raw = await post(whole.url, MESSAGES, anthropic);
    expect(raw.reads).toBeLessThanOrEqual(2);
    expect(readSse(raw.body.toString()).at(-1)?.event).toBe('message_stop');
  });

  it('uses CRLF line ends when asked, and LF for Google when asked', async () => {
    const crlf = await start({ lineEnding: '\r\n' });
    const text = (await post(crlf.url, MESSAGES, anthropic)).body.toString();
    expect(text).toMatch(/^event: message_start\r\ndata: /);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const lf = await start({ lineEnding: '\n' });
    const google = (await post(lf.url, GENERATE, { model: 'gemini-2.5-pro', contents: [{ parts: [{ text: 'x' }] }] })).body.toString();
    expect(google).not.toContain('\r');
  });

  it('sends keep-alive comments on OpenAI streams when pings are on', async () => {
    const pinging = await start({ pings: true });
    const text = (await post(pinging.url, CHAT, chat)).body.toString();
    expect(text).toContain(': keep-alive\n\n');
    expect(readSse(text).at(-1)?.data).toBe('[DONE]');
  });

  it('destroys the socket after the first text delta on midStream cut and logs status 0', async () => {
    fake.setScenario({ midStream: 'cut' });
    const raw = await post(fake.url, MESSAGES, anthropic, 'cutter');
    expect(raw.status).toBe(200);
    expect(raw.aborted).toBe(true);
    const names = readSse(raw.body.toString()).map((e) => e.event);
    expect(names).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
    expect(fake.keyLog().get('cutter')).toEqual({ count: 1, statuses: { 0: 1 } });
    const json = await post(fake.url, CHAT, { ...chat, stream: false });
    expect(json.aborted).toBe(true);
  });

  it('waits delayMs before answering', async () => {
    fake.setScenario({ delayMs: 60 });
    const started = performance.now();
    await post(fake.url, CHAT, chat);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('answers a non-stream request that fails mid-generation with an error status', async () => {
    fake.setScenario({ midStream: 'error-event' });
    const { status, json } = await postJson(fake.url, MESSAGES, { ...anthropic, stream: false });
    expect(status).toBe(529);
    expect(json).toMatchObject({ type: 'error', error: { type: 'overloaded_error' } });
  });

  it('serves hundreds of requests per second', async () => {
    const started = performance.now();
    for (let batch = 0; batch < 20; batch += 1) {
      await Promise.all(Array.from({ length: 25 }, () => fetch(new URL(CHAT, fake.url), {
        method: 'POST',
        headers: { authorization: 'Bearer k', 'content-type': 'application/json' },
        body: JSON.stringify(chat),
      }).then((r) => r.text())));
    }
    expect(performance.now() - started).toBeLessThan(5000);
    expect(fake.requests).toHaveLength(500);
  });
});

describe('echo', () => {
  it('answers the last user text for every dialect', async () => {
    fake.setScenario({ echo: true });
    const anthropicBody = { ...anthropic, messages: [{ role: 'user', content: 'first' }, { role: 'assistant', content: 'a' }, { role: 'user', content: [{ type: 'text', text: UNICODE }] }] };
    expect(streamedText((await post(fake.url, MESSAGES, anthropicBody)).body)).toBe(UNICODE);
    const chatChunks = sseJson(await post(fake.url, CHAT, { ...chat, messages: [{ role: 'system', content: 's' }, { role: 'user', content: [{ type: 'text', text: 'chat text' }] }] }));
    expect(chatChunks.map((c) => at(c, 'choices', 0, 'delta', 'content') ?? '').join('')).toBe('chat text');
    const responses = await postJson(fake.url, RESPONSES, { model: 'gpt-x', input: [{ role: 'user', content: [{ type: 'input_text', text: 'resp text' }] }] });
    expect(at(responses.json, 'output', 0, 'content', 0, 'text')).toBe('resp text');
    const gemini = sseJson(await post(fake.url, GENERATE, { model: 'gemini-2.5-pro', contents: [{ role: 'user', parts: [{ text: 'gem text' }] }] }));
    expect(gemini.flatMap((c) => list(at(c, 'candidates', 0, 'content', 'parts'))).map((p) => at(p, 'text')).join('')).toBe('gem text');
  });
});
