import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { at, post, postJson, readSse, sseJson } from './client.js';
import { startFakeFactory, type FakeFactory } from './index.js';

const PATH = '/api/llm/a/v1/messages';
const base = { model: 'claude-sonnet-4-6', max_tokens: 4096, messages: [{ role: 'user', content: 'Hi' }] };
let fake: FakeFactory;

beforeAll(async () => {
  fake = await startFakeFactory();
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

describe('anthropic messages stream', () => {
  it('streams message_start, a text block in several deltas, message_delta and message_stop', async () => {
    const raw = await post(fake.url, PATH, { ...base, stream: true });
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(raw.headers['request-id']).toMatch(/^req_/);
    const events = readSse(raw.body.toString('utf8'));
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('message_start');
    expect(names.slice(1, 2)).toEqual(['content_block_start']);
    expect(names.slice(-4)).toEqual(['content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    const data = sseJson(raw);
    data.forEach((d, i) => expect(d.type).toBe(names[i]));
    expect(at(data[0], 'message')).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 1 },
    });
    const deltas = data.filter((d) => d.type === 'content_block_delta').map((d) => at(d, 'delta', 'text'));
    expect(deltas.length).toBeGreaterThanOrEqual(2);
    expect(deltas.join('')).toBe('Hello from claude-sonnet-4-6.');
    expect(data.at(-2)).toEqual({
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: 8 },
    });
  });

  it('streams thinking with a signature, then text, then tool_use with input_json_delta pieces', async () => {
    const args = { path: 'src/a.ts', lines: [1, 2], note: 'été' };
    fake.setScenario({ toolCalls: [{ name: 'read_file', arguments: args }], usage: { input: 50, output: 20, cached: 30 } });
    const body = { ...base, stream: true, thinking: { type: 'enabled', budget_tokens: 1024 } };
    const data = sseJson(await post(fake.url, PATH, body));
    expect(at(data[0], 'message', 'usage')).toMatchObject({ input_tokens: 20, cache_read_input_tokens: 30 });
    const starts = data.filter((d) => d.type === 'content_block_start');
    expect(starts.map((s) => at(s, 'content_block', 'type'))).toEqual(['thinking', 'text', 'tool_use']);
    expect(starts[0]?.content_block).toEqual({ type: 'thinking', thinking: '', signature: '' });
    expect(starts[2]?.content_block).toMatchObject({ type: 'tool_use', name: 'read_file', input: {} });
    expect(String(at(starts[2], 'content_block', 'id'))).toMatch(/^toolu_/);
    const byIndex = (i: number) => data.filter((d) => d.type === 'content_block_delta' && d.index === i).map((d) => d.delta);
    expect(byIndex(0).map((d) => at(d, 'type'))).toContain('signature_delta');
    expect(String(at(byIndex(0).at(-1), 'signature'))).toMatch(/^sig-\d+$/);
    expect(byIndex(0).map((d) => at(d, 'thinking') ?? '').join('')).toBe('Let me think.');
    const pieces = byIndex(2).map((d) => String(at(d, 'partial_json')));
    expect(pieces[0]).toBe('');
    expect(pieces.length).toBeGreaterThan(3);
    expect(pieces.some((p) => { try { JSON.parse(p); return false; } catch { return p !== ''; } })).toBe(true);
    expect(JSON.parse(pieces.join(''))).toEqual(args);
    expect(at(data.at(-2), 'delta', 'stop_reason')).toBe('tool_use');
  });

  it('sends ping after message_start and between blocks when pings are on', async () => {
    const pinging = await startFakeFactory({ pings: true });
    pinging.setScenario({ thinking: 'hmm' });
    const names = readSse((await post(pinging.url, PATH, { ...base, stream: true })).body.toString()).map((e) => e.event);
    await pinging.close();
    expect(names[1]).toBe('ping');
    expect(names.filter((n) => n === 'ping')).toHaveLength(2);
    expect(names[names.indexOf('content_block_stop') + 1]).toBe('ping');
  });

  it('ends with an overloaded_error event after the first text delta on midStream error-event', async () => {
    fake.setScenario({ midStream: 'error-event' });
    const events = readSse((await post(fake.url, PATH, { ...base, stream: true })).body.toString());
    expect(events.map((e) => e.event)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'error']);
    expect(JSON.parse(events[3]?.data ?? '')).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });
});

describe('anthropic messages non-stream', () => {
  it('answers the Message object with every block and max_tokens as stop reason', async () => {
    fake.setScenario({ finish: 'length', thinking: 'a', toolCalls: [{ id: 'toolu_x', name: 't', arguments: {} }] });
    const { status, json } = await postJson(fake.url, PATH, base);
    expect(status).toBe(200);
    expect(json).toMatchObject({
      type: 'message',
      role: 'assistant',
      stop_reason: 'max_tokens',
      stop_sequence: null,
      content: [
        { type: 'thinking', thinking: 'a' },
        { type: 'text', text: 'Hello from claude-sonnet-4-6.' },
        { type: 'tool_use', id: 'toolu_x', name: 't', input: {} },
      ],
      usage: { output_tokens: 8 },
    });
    expect(String(at(json, 'id'))).toMatch(/^msg_/);
  });

  it('counts tokens without requiring max_tokens', async () => {
    const { status, json } = await postJson(fake.url, `${PATH}/count_tokens`, { model: 'm', messages: base.messages });
    expect(status).toBe(200);
    expect(at(json, 'input_tokens')).toBeGreaterThan(0);
  });
});

const toolTurn = [
  { role: 'user', content: 'go' },
  { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 't', input: {} }] },
];

describe('anthropic validation', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['a missing model', { max_tokens: 10, messages: base.messages }, /^model: Field required/],
    ['a missing max_tokens', { model: 'm', messages: base.messages }, /^max_tokens: Field required/],
    ['empty messages', { ...base, messages: [] }, /at least one message/],
    ['a system role in messages', { ...base, messages: [{ role: 'system', content: 'x' }] }, /role: Input should be 'user' or 'assistant'/],
    ['an unknown block type', { ...base, messages: [{ role: 'user', content: [{ type: 'input_text', text: 'x' }] }] }, /Input tag 'input_text'/],
    ['an empty text block', { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: '' }] }] }, /text content blocks must be non-empty/],
    ['a tool_result without its tool_use', { ...base, messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_9' }] }] }, /unexpected `tool_use_id`/],
    ['a tool_result for an id of another message', { ...base, messages: [...toolTurn, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_2' }] }] }, /toolu_2/],
    ['tool_result after text', { ...base, messages: [...toolTurn, { role: 'user', content: [{ type: 'text', text: 'x' }, { type: 'tool_result', tool_use_id: 'toolu_1' }] }] }, /must come first/],
    ['a tool_use left unanswered', { ...base, messages: [...toolTurn, { role: 'user', content: 'next' }] }, /without `tool_result`/],
    ['a small thinking budget', { ...base, thinking: { type: 'enabled', budget_tokens: 500 } }, /greater than or equal to 1024/],
    ['a budget not below max_tokens', { ...base, max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 2000 } }, /`max_tokens` must be greater/],
    ['temperature with thinking', { ...base, temperature: 0.5, thinking: { type: 'enabled', budget_tokens: 1024 } }, /`temperature` may only be set to 1/],
    ['top_k with thinking', { ...base, top_k: 5, thinking: { type: 'enabled', budget_tokens: 1024 } }, /`top_k` must be unset/],
    ['a tool loop whose assistant lost its thinking', { ...base, thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [...toolTurn, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1' }] }] }, /must start with a thinking block/],
    ['a thinking signature from elsewhere', { ...base, messages: [{ role: 'user', content: 'a' }, { role: 'assistant', content: [{ type: 'thinking', thinking: 'x', signature: 'Eo8BCkYIBx' }, { type: 'text', text: 'b' }] }, { role: 'user', content: 'c' }] }, /Invalid `signature`/],
    ['an image source of type base65', { ...base, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base65', data: 'x' } }] }] }, /'base64', 'url', 'file'/],
    ['a tool without input_schema', { ...base, tools: [{ name: 't' }] }, /input_schema: Field required/],
    ['a tool schema that is not an object', { ...base, tools: [{ name: 't', input_schema: { type: 'string' } }] }, /input_schema.type: Input should be 'object'/],
    ['tool input given as a string', { ...base, messages: [toolTurn[0], { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 't', input: '{}' }] }] }, /input: Input should be a valid dictionary/],
  ];
  it.each(cases)('rejects %s with 400 invalid_request_error', async (_name, body, message) => {
    const { status, json } = await postJson(fake.url, PATH, body);
    expect(status).toBe(400);
    expect(at(json, 'type')).toBe('error');
    expect(at(json, 'error', 'type')).toBe('invalid_request_error');
    expect(String(at(json, 'error', 'message'))).toMatch(message);
  });

  it('accepts a full tool loop that keeps the thinking block and its signature', async () => {
    fake.setScenario({ toolCalls: [{ name: 't', arguments: { a: 1 } }] });
    const thinking = { ...base, stream: false, thinking: { type: 'enabled', budget_tokens: 1024 } };
    const first = await postJson(fake.url, PATH, thinking);
    const content = at(first.json, 'content');
    const toolId = at(content, 2, 'id');
    const messages = [base.messages[0], { role: 'assistant', content }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolId, content: 'ok' }] }];
    const second = await postJson(fake.url, PATH, { ...thinking, messages });
    expect(second.status).toBe(200);
  });
});
