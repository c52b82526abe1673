import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { at, post, postJson, readSse, sseJson } from './client.js';
import { startFakeFactory, type FakeFactory } from './index.js';

const PATH = '/api/llm/o/v1/responses';
const base = { model: 'gpt-5', input: 'Hi' };
let fake: FakeFactory;

beforeAll(async () => {
  fake = await startFakeFactory();
});
afterAll(async () => fake.close());
beforeEach(() => fake.reset());

describe('responses stream', () => {
  it('streams created, in_progress, a message item with text deltas and completed, numbering every event', async () => {
    const raw = await post(fake.url, PATH, { ...base, stream: true });
    expect(raw.headers['x-request-id']).toMatch(/^req_/);
    const events = readSse(raw.body.toString('utf8'));
    const data = sseJson(raw);
    events.forEach((e, i) => expect(at(data[i], 'type')).toBe(e.event));
    expect(data.map((d) => d.sequence_number)).toEqual(data.map((_, i) => i));
    const names = events.map((e) => e.event);
    expect(names.slice(0, 5)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
    ]);
    expect(names.slice(-5)).toEqual([
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(at(data[0], 'response')).toMatchObject({ object: 'response', status: 'in_progress', model: 'gpt-5', output: [] });
    const text = data.filter((d) => d.type === 'response.output_text.delta').map((d) => d.delta).join('');
    expect(text).toBe('Hello from gpt-5.');
    expect(at(data.at(-1), 'response')).toMatchObject({
      status: 'completed',
      output: [{ type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text }] }],
      usage: { output_tokens: 8, input_tokens_details: { cached_tokens: 0 }, output_tokens_details: { reasoning_tokens: 0 } },
    });
  });

  it('streams a reasoning item with summary and encrypted_content, then function calls with argument deltas', async () => {
    const args = { q: 'a "quoted" value', n: 3 };
    fake.setScenario({ text: '', toolCalls: [{ name: 'search', arguments: args }, { id: 'call_b', name: 'b', arguments: {} }] });
    const data = sseJson(await post(fake.url, PATH, { ...base, stream: true, reasoning: { effort: 'low', summary: 'auto' } }));
    const added = data.filter((d) => d.type === 'response.output_item.added').map((d) => d.item);
    expect(added.map((i) => at(i, 'type'))).toEqual(['reasoning', 'function_call', 'function_call']);
    expect(added[1]).toMatchObject({ type: 'function_call', name: 'search', arguments: '', status: 'in_progress' });
    expect(String(at(added[1], 'id'))).toMatch(/^fc_/);
    expect(String(at(added[1], 'call_id'))).toMatch(/^call_/);
    expect(at(added[2], 'call_id')).toBe('call_b');
    const summary = data.filter((d) => d.type === 'response.reasoning_summary_text.delta').map((d) => d.delta).join('');
    expect(summary).toBe('Let me think.');
    const done = data.filter((d) => d.type === 'response.output_item.done').map((d) => d.item);
    expect(done[0]).toMatchObject({ type: 'reasoning', summary: [{ type: 'summary_text', text: 'Let me think.' }] });
    expect(String(at(done[0], 'encrypted_content'))).toMatch(/^enc-\d+$/);
    const itemId = at(added[1], 'id');
    const deltas = data.filter((d) => d.type === 'response.function_call_arguments.delta' && d.item_id === itemId);
    expect(deltas.length).toBeGreaterThan(2);
    expect(JSON.parse(deltas.map((d) => d.delta).join(''))).toEqual(args);
    const argsDone = data.find((d) => d.type === 'response.function_call_arguments.done' && d.item_id === itemId);
    expect(argsDone).toMatchObject({ name: 'search', arguments: JSON.stringify(args), output_index: 1 });
    expect(data.map((d) => d.type)).toContain('response.reasoning_summary_part.added');
    expect(data.at(-1)?.type).toBe('response.completed');
  });

  it('ends with response.incomplete and max_output_tokens for finish length', async () => {
    fake.setScenario({ finish: 'length' });
    const last = sseJson(await post(fake.url, PATH, { ...base, stream: true })).at(-1);
    expect(last).toMatchObject({ type: 'response.incomplete', response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } });
  });

  it('ends with response.failed after the first text delta on midStream error-event', async () => {
    fake.setScenario({ midStream: 'error-event', errorMessage: 'boom' });
    const data = sseJson(await post(fake.url, PATH, { ...base, stream: true }));
    expect(data.at(-2)?.type).toBe('response.output_text.delta');
    expect(data.at(-1)).toMatchObject({ type: 'response.failed', response: { status: 'failed', error: { code: 'server_error', message: 'boom' } } });
    expect(data.map((d) => d.sequence_number)).toEqual(data.map((_, i) => i));
  });
});

describe('responses non-stream', () => {
  it('answers the response object with output items and usage', async () => {
    fake.setScenario({ usage: { input: 10, output: 5, cached: 4, reasoning: 2 } });
    const { json } = await postJson(fake.url, PATH, base);
    expect(json).toMatchObject({
      object: 'response',
      status: 'completed',
      model: 'gpt-5',
      output: [{ type: 'message', content: [{ type: 'output_text', text: 'Hello from gpt-5.' }] }],
      usage: { input_tokens: 10, input_tokens_details: { cached_tokens: 4 }, output_tokens: 5, output_tokens_details: { reasoning_tokens: 2 }, total_tokens: 15 },
    });
    expect(String(at(json, 'id'))).toMatch(/^resp_/);
  });
});

describe('responses validation', () => {
  const call = { type: 'function_call', call_id: 'call_1', name: 't', arguments: '{}' };
  const cases: Array<[string, Record<string, unknown>, RegExp, string | null]> = [
    ['a missing model', { input: 'x' }, /Missing required parameter: 'model'/, 'model'],
    ['a missing input', { model: 'm' }, /Missing required parameter: 'input'/, 'input'],
    ['an unknown item type', { ...base, input: [{ type: 'tool_result' }] }, /Invalid value: 'tool_result'/, 'input[0].type'],
    ['an output without its call', { ...base, input: [{ type: 'function_call_output', call_id: 'call_9', output: 'x' }] }, /No tool call found for function call output with call_id call_9/, 'input'],
    ['function_call arguments as an object', { ...base, input: [{ ...call, arguments: {} }] }, /Invalid type for 'input\[0\].arguments'/, 'input[0].arguments'],
    ['a Chat-style nested function tool', { ...base, tools: [{ type: 'function', function: { name: 't' } }] }, /Unknown parameter: 'tools\[0\].function'/, 'tools[0].function'],
    ['a function tool without name', { ...base, tools: [{ type: 'function', parameters: {} }] }, /Missing required parameter: 'tools\[0\].name'/, 'tools[0].name'],
    ['an input_image with an object url', { ...base, input: [{ role: 'user', content: [{ type: 'input_image', image_url: { url: 'x' } }] }] }, /expected a string, but got an object/, 'input[0].content[0].image_url'],
    ['instructions as a list', { ...base, instructions: ['a'] }, /Invalid type for 'instructions'/, 'instructions'],
    ['input_text in an assistant message', { ...base, input: [{ role: 'assistant', content: [{ type: 'input_text', text: 'x' }] }] }, /Invalid value: 'input_text'/, 'input[0].content[0].type'],
    ['reasoning encrypted elsewhere', { ...base, input: [{ type: 'reasoning', id: 'rs_1', summary: [], encrypted_content: 'sig-1' }] }, /could not be verified/, null],
  ];
  it.each(cases)('rejects %s with 400 and the OpenAI error shape', async (_name, body, message, param) => {
    const { status, json } = await postJson(fake.url, PATH, body);
    expect(status).toBe(400);
    expect(at(json, 'error', 'type')).toBe('invalid_request_error');
    expect(String(at(json, 'error', 'message'))).toMatch(message);
    expect(at(json, 'error', 'param')).toBe(param);
  });

  it('accepts a function call round trip with easy input messages', async () => {
    const input = [{ role: 'user', content: 'go' }, { type: 'function_call', call_id: 'c1', name: 't', arguments: '{}' }, { type: 'function_call_output', call_id: 'c1', output: 'ok' }];
    const { status } = await postJson(fake.url, PATH, { ...base, input, tools: [{ type: 'function', name: 't', parameters: { type: 'object' } }] });
    expect(status).toBe(200);
  });
});
