import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { at, list, post, postJson, sseJson } from './client.js';
import { startFakeFactory, type FakeFactory } from './index.js';

const PATH = '/api/llm/g/v1/generate';
const base = { model: 'gemini-2.5-pro', contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] };
let fake: FakeFactory;

beforeAll(async () => {
  fake = await startFakeFactory();
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

describe('gemini generate stream', () => {
  it('always answers data-only SSE with CRLF line ends, the last chunk carrying finishReason and usage', async () => {
    const raw = await post(fake.url, PATH, base);
    const text = raw.body.toString('utf8');
    expect(raw.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(text.startsWith('data: {')).toBe(true);
    expect(text).toContain('}\r\n\r\ndata: ');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    const chunks = sseJson(raw);
    expect(chunks.length).toBeGreaterThan(1);
    chunks.forEach((c) => expect(c).toMatchObject({ modelVersion: 'gemini-2.5-pro', candidates: [{ index: 0, content: { role: 'model' } }] }));
    expect(chunks.map((c) => at(c, 'candidates', 0, 'content', 'parts', 0, 'text')).join('')).toBe('Hello from gemini-2.5-pro.');
    expect(chunks.slice(0, -1).every((c) => at(c, 'candidates', 0, 'finishReason') === undefined)).toBe(true);
    expect(at(chunks.at(-1), 'candidates', 0, 'finishReason')).toBe('STOP');
    expect(at(chunks.at(-1), 'usageMetadata')).toMatchObject({ candidatesTokenCount: 8 });
  });

  it('streams thought parts with a signature on the last one and function calls with a signature', async () => {
    fake.setScenario({ toolCalls: [{ name: 'a', arguments: { x: 1 } }, { name: 'b', arguments: {} }], usage: { input: 9, output: 6, reasoning: 2 } });
    const body = { ...base, generationConfig: { thinkingConfig: { includeThoughts: true } } };
    const parts = sseJson(await post(fake.url, PATH, body)).flatMap((c) => list(at(c, 'candidates', 0, 'content', 'parts')));
    const thoughts = parts.filter((p) => at(p, 'thought') === true);
    expect(thoughts.map((p) => at(p, 'text')).join('')).toBe('Let me think.');
    expect(thoughts.slice(0, -1).every((p) => at(p, 'thoughtSignature') === undefined)).toBe(true);
    expect(at(thoughts.at(-1), 'thoughtSignature')).toBeTypeOf('string');
    const calls = parts.filter((p) => at(p, 'functionCall') !== undefined);
    expect(calls.map((p) => at(p, 'functionCall'))).toEqual([{ name: 'a', args: { x: 1 } }, { name: 'b', args: {} }]);
    expect(at(calls[0], 'thoughtSignature')).toBeTypeOf('string');
  });

  it('reports MAX_TOKENS and splits thoughts from candidates in usageMetadata', async () => {
    fake.setScenario({ finish: 'length', usage: { input: 9, output: 6, reasoning: 2, cached: 3 } });
    const last = sseJson(await post(fake.url, PATH, base)).at(-1);
    expect(at(last, 'candidates', 0, 'finishReason')).toBe('MAX_TOKENS');
    expect(at(last, 'usageMetadata')).toEqual({ promptTokenCount: 9, candidatesTokenCount: 4, thoughtsTokenCount: 2, totalTokenCount: 15, cachedContentTokenCount: 3 });
  });

  it('ends with a data error object on midStream error-event', async () => {
    fake.setScenario({ midStream: 'error-event' });
    const chunks = sseJson(await post(fake.url, PATH, base));
    expect(chunks.at(-1)).toEqual({ error: { code: 503, message: 'The model is overloaded. Please try again later.', status: 'UNAVAILABLE' } });
    expect(chunks).toHaveLength(2);
  });

  it('answers one GenerateContentResponse JSON in googleMode json', async () => {
    const jsonFake = await startFakeFactory({ googleMode: 'json' });
    const { status, json } = await postJson(jsonFake.url, PATH, base, 'k');
    await jsonFake.close();
    expect(status).toBe(200);
    expect(json).toMatchObject({ candidates: [{ content: { role: 'model', parts: [{ text: 'Hello from gemini-2.5-pro.' }] }, finishReason: 'STOP' }], usageMetadata: { candidatesTokenCount: 8 } });
  });
});

describe('gemini validation', () => {
  const g3 = { ...base, model: 'gemini-3-pro-preview' };
  const callTurn = (part: Record<string, unknown>) => [
    { role: 'user', parts: [{ text: 'go' }] },
    { role: 'model', parts: [{ functionCall: { name: 'f', args: {} }, ...part }] },
    { role: 'user', parts: [{ functionResponse: { name: 'f', response: { ok: true } } }] },
  ];
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['an unknown top-level field', { ...base, stream: true }, /Invalid JSON payload received. Unknown name "stream"/],
    ['an assistant role', { ...base, contents: [{ role: 'assistant', parts: [{ text: 'x' }] }] }, /Please use a valid role: user, model/],
    ['a snake-cased part field Gemini does not know', { ...base, contents: [{ role: 'user', parts: [{ function_call_x: {} }] }] }, /Unknown name "function_call_x" at 'contents\[0\].parts\[0\]'/],
    ['missing contents', { model: 'gemini-2.5-pro' }, /contents is not specified/],
    ['additionalProperties in a function schema', { ...base, tools: [{ functionDeclarations: [{ name: 'f', parameters: { type: 'object', additionalProperties: false } }] }] }, /Unknown name "additionalProperties" at 'tools\[0\].function_declarations\[0\].parameters'/],
    ['a missing thought signature on gemini-3', { ...g3, contents: callTurn({}) }, /missing a thought_signature/],
    ['a signature minted elsewhere', { ...g3, contents: callTurn({ thoughtSignature: Buffer.from('other').toString('base64') }) }, /Corrupted thought signature/],
    ['a function response with another name', { ...base, contents: [...callTurn({}).slice(0, 2), { role: 'user', parts: [{ functionResponse: { name: 'g', response: {} } }] }] }, /does not match any function call/],
    ['a function response with no call before it', { ...base, contents: [{ role: 'user', parts: [{ functionResponse: { name: 'f', response: {} } }] }] }, /function response turn comes immediately after a function call turn/],
  ];
  it.each(cases)('rejects %s with 400 INVALID_ARGUMENT', async (_name, body, message) => {
    const { status, json } = await postJson(fake.url, PATH, body);
    expect(status).toBe(400);
    expect(at(json, 'error', 'code')).toBe(400);
    expect(at(json, 'error', 'status')).toBe('INVALID_ARGUMENT');
    expect(String(at(json, 'error', 'message'))).toMatch(message);
  });

  it('accepts snake_case fields, the documented dummy signature and its own signatures', async () => {
    const dummy = { ...g3, system_instruction: { parts: [{ text: 's' }] }, contents: callTurn({ thought_signature: 'skip_thought_signature_validator' }) };
    expect((await post(fake.url, PATH, dummy)).status).toBe(200);
    fake.setScenario({ toolCalls: [{ name: 'f', arguments: {} }] });
    const parts = sseJson(await post(fake.url, PATH, g3)).flatMap((c) => list(at(c, 'candidates', 0, 'content', 'parts')));
    const contents = [g3.contents[0], { role: 'model', parts }, { role: 'user', parts: [{ functionResponse: { name: 'f', response: {} } }] }];
    expect((await post(fake.url, PATH, { ...g3, contents })).status).toBe(200);
  });
});
