import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { at, post, postJson, readSse, sseJson } from './client.js';
import { startFakeFactory, type FakeFactory } from './index.js';

const PATH = '/api/llm/o/v1/chat/completions';
const base = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] };
let fake: FakeFactory;

beforeAll(async () => {
  fake = await startFakeFactory();
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

describe('chat completions stream', () => {
  it('streams a role chunk, content deltas, a finish chunk and [DONE] without usage by default', async () => {
    const raw = await post(fake.url, PATH, { ...base, stream: true });
    const events = readSse(raw.body.toString('utf8'));
    expect(events.every((e) => e.event === undefined)).toBe(true);
    expect(events.at(-1)?.data).toBe('[DONE]');
    const chunks = sseJson(raw);
    chunks.forEach((c) => expect(c).toMatchObject({ object: 'chat.completion.chunk', model: 'gpt-4o' }));
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(at(chunks[0], 'choices', 0, 'delta')).toMatchObject({ role: 'assistant', content: '' });
    const text = chunks.map((c) => at(c, 'choices', 0, 'delta', 'content') ?? '').join('');
    expect(text).toBe('Hello from gpt-4o.');
    expect(at(chunks.at(-1), 'choices', 0)).toEqual({ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' });
    expect(chunks.some((c) => 'usage' in c)).toBe(false);
  });

  it('streams reasoning_content, tool_calls deltas over several chunks, then a usage chunk when include_usage', async () => {
    const args = { city: 'Paris', units: 'c' };
    fake.setScenario({ toolCalls: [{ name: 'weather', arguments: args }], usage: { input: 7, output: 3, cached: 2, reasoning: 1 } });
    const body = { ...base, stream: true, stream_options: { include_usage: true }, reasoning_effort: 'high' };
    const chunks = sseJson(await post(fake.url, PATH, body));
    const reasoning = chunks.map((c) => at(c, 'choices', 0, 'delta', 'reasoning_content') ?? '').join('');
    expect(reasoning).toBe('Let me think.');
    const calls = chunks.map((c) => at(c, 'choices', 0, 'delta', 'tool_calls', 0)).filter((c) => c !== undefined);
    expect(calls[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'weather', arguments: '' } });
    expect(String(at(calls[0], 'id'))).toMatch(/^call_/);
    expect(calls.length).toBeGreaterThan(3);
    expect(calls.slice(1).every((c) => at(c, 'id') === undefined)).toBe(true);
    expect(JSON.parse(calls.map((c) => at(c, 'function', 'arguments')).join(''))).toEqual(args);
    const finish = chunks.at(-2);
    expect(at(finish, 'choices', 0, 'finish_reason')).toBe('tool_calls');
    expect(at(finish, 'usage')).toBeNull();
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10, prompt_tokens_details: { cached_tokens: 2 }, completion_tokens_details: { reasoning_tokens: 1 } },
    });
  });

  it('ends with a data error object and no [DONE] on midStream error-event', async () => {
    fake.setScenario({ midStream: 'error-event' });
    const events = readSse((await post(fake.url, PATH, { ...base, stream: true })).body.toString());
    expect(events.at(-1)?.data).not.toBe('[DONE]');
    expect(JSON.parse(events.at(-1)?.data ?? '')).toMatchObject({ error: { type: 'server_error' } });
    expect(at(JSON.parse(events.at(-2)?.data ?? ''), 'choices', 0, 'delta', 'content')).toBeTypeOf('string');
  });
});

describe('chat completions non-stream', () => {
  it('answers chat.completion with tool calls and null content when there is no text', async () => {
    fake.setScenario({ text: '', toolCalls: [{ id: 'call_1', name: 'f', arguments: { a: 1 } }] });
    const { json } = await postJson(fake.url, PATH, base);
    expect(json).toMatchObject({
      object: 'chat.completion',
      choices: [{ index: 0, finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }] } }],
      usage: { completion_tokens: 8 },
    });
  });
});

describe('chat completions validation', () => {
  const call = { id: 'call_1', type: 'function', function: { name: 't', arguments: '{}' } };
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a missing model', { messages: base.messages }, /you must provide a model parameter/],
    ['missing messages', { model: 'm' }, /Missing required parameter: 'messages'/],
    ['an unknown role', { ...base, messages: [{ role: 'model', content: 'x' }] }, /Invalid value: 'model'/],
    ['a tool message without a preceding call', { ...base, messages: [{ role: 'user', content: 'x' }, { role: 'tool', tool_call_id: 'call_1', content: 'r' }] }, /must be a response to a preceeding message with 'tool_calls'/],
    ['a tool call left unanswered', { ...base, messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'user', content: 'y' }] }, /did not have response messages: call_1/],
    ['tool call arguments as an object', { ...base, messages: [{ role: 'user', content: 'x' }, { role: 'assistant', tool_calls: [{ ...call, function: { name: 't', arguments: {} } }] }, { role: 'tool', tool_call_id: 'call_1', content: 'r' }] }, /function.arguments': expected a string/],
    ['a Responses-style flat tool', { ...base, tools: [{ type: 'function', name: 't', parameters: {} }] }, /Missing required parameter: 'tools\[0\].function'/],
    ['stream_options without stream', { ...base, stream_options: { include_usage: true } }, /only allowed when 'stream' is enabled/],
  ];
  it.each(cases)('rejects %s with 400 and the OpenAI error shape', async (_name, body, message) => {
    const { status, json } = await postJson(fake.url, PATH, body);
    expect(status).toBe(400);
    expect(at(json, 'error', 'type')).toBe('invalid_request_error');
    expect(String(at(json, 'error', 'message'))).toMatch(message);
  });

  it('accepts a tool round trip', async () => {
    const messages = [{ role: 'user', content: 'x' }, { role: 'assistant', content: null, tool_calls: [call] }, { role: 'tool', tool_call_id: 'call_1', content: 'r' }];
    const { status } = await postJson(fake.url, PATH, { ...base, messages, tools: [{ type: 'function', function: { name: 't', parameters: { type: 'object' } } }] });
    expect(status).toBe(200);
  });
});
