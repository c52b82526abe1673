import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors.js';
import { openAiChatDialect as chat } from '../../../src/dialects/openai-chat/index.js';
import type { SseEvent } from '../../../src/dialects/dialect.js';
import type { IrEvent, WriteContext } from '../../../src/dialects/ir.js';
import { writeStream } from '../../support/dialect-streams.js';

async function* from<T>(xs: T[]): AsyncGenerator<T> {
  yield* xs;
}

function ctx(includeUsage: boolean): WriteContext {
  let n = 0;
  return { id: 'chatcmpl-test', model: 'client-model', created: 1700000000, includeUsage, newId: (p) => `${p}${++n}`, tools: [] };
}

async function write(events: IrEvent[], includeUsage = false): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const ev of writeStream(chat, from(events), ctx(includeUsage))) out.push(ev);
  return out;
}

const data = (evs: SseEvent[]): unknown[] => evs.map((e) => (e.data === '[DONE]' ? '[DONE]' : JSON.parse(e.data)));
const head = { id: 'chatcmpl-test', object: 'chat.completion.chunk', created: 1700000000, model: 'client-model' };
const delta = (d: object, finish: string | null = null) => ({ ...head, choices: [{ index: 0, delta: d, logprobs: null, finish_reason: finish }] });

describe('openai-chat writeStream', () => {
  it('writes each chunk as JSON.stringify would write the whole object, with and without include_usage', async () => {
    for (const includeUsage of [false, true]) {
      const out = await write([{ kind: 'text_delta', text: 'a "quoted" ü' }, { kind: 'finish', reason: 'stop' }], includeUsage);
      const usage = includeUsage ? { usage: null } : {};
      expect(out.slice(0, 3).map((e) => e.data)).toEqual([
        JSON.stringify({ ...delta({ role: 'assistant', content: '', refusal: null }), ...usage }),
        JSON.stringify({ ...delta({ content: 'a "quoted" ü' }), ...usage }),
        JSON.stringify({ ...delta({}, 'stop'), ...usage }),
      ]);
    }
  });

  it('writes role, reasoning, text and finish chunks, then [DONE]', async () => {
    const out = await write([
      { kind: 'start', id: 'up', model: 'glm' },
      { kind: 'thinking_delta', text: 'hmm' },
      { kind: 'thinking_signature', signature: 'sig' },
      { kind: 'text_delta', text: 'Hi' },
      { kind: 'text_delta', text: '' },
      { kind: 'finish', reason: 'stop_sequence' },
    ]);
    expect(out.every((e) => e.event === undefined)).toBe(true);
    expect(data(out)).toEqual([
      delta({ role: 'assistant', content: '', refusal: null }),
      delta({ reasoning_content: 'hmm' }),
      delta({ content: 'Hi' }),
      delta({}, 'stop'),
      '[DONE]',
    ]);
  });

  it('numbers tool calls per answer and streams their argument fragments', async () => {
    const out = await write([
      { kind: 'text_delta', text: 'ok' },
      { kind: 'tool_call_start', id: 'toolu_a', name: 'f' },
      { kind: 'tool_call_delta', id: 'toolu_a', argumentsDelta: '{"x":' },
      { kind: 'tool_call_delta', id: 'toolu_a', argumentsDelta: '1}' },
      { kind: 'tool_call_end', id: 'toolu_a' },
      { kind: 'tool_call_start', id: 'toolu_b', name: 'g' },
      { kind: 'tool_call_end', id: 'toolu_b' },
      { kind: 'finish', reason: 'tool_calls' },
    ]);
    expect(data(out)).toEqual([
      delta({ role: 'assistant', content: '', refusal: null }),
      delta({ content: 'ok' }),
      delta({ tool_calls: [{ index: 0, id: 'toolu_a', type: 'function', function: { name: 'f', arguments: '' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '{"x":' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '1}' } }] }),
      delta({ tool_calls: [{ index: 1, id: 'toolu_b', type: 'function', function: { name: 'g', arguments: '' } }] }),
      delta({}, 'tool_calls'),
      '[DONE]',
    ]);
  });

  it('sends usage that arrives after finish in a last chunk with no choices when asked', async () => {
    const out = await write(
      [
        { kind: 'start' },
        { kind: 'usage', usage: { inputTokens: 10, cachedInputTokens: 3 } },
        { kind: 'text_delta', text: 'x' },
        { kind: 'finish', reason: 'length' },
        { kind: 'usage', usage: { outputTokens: 7, reasoningTokens: 2 } },
      ],
      true,
    );
    const chunks = data(out);
    expect(chunks.at(-3)).toEqual({ ...delta({}, 'length'), usage: null });
    expect(chunks.at(-2)).toEqual({
      ...head,
      choices: [],
      usage: {
        prompt_tokens: 10,
        completion_tokens: 7,
        total_tokens: 17,
        prompt_tokens_details: { cached_tokens: 3 },
        completion_tokens_details: { reasoning_tokens: 2 },
      },
    });
    expect(chunks.at(-1)).toBe('[DONE]');
  });

  it('maps pause, refusal and error finishes to stop and content_filter to itself', async () => {
    for (const [reason, expected] of [
      ['pause', 'stop'],
      ['refusal', 'stop'],
      ['error', 'stop'],
      ['content_filter', 'content_filter'],
    ] as const) {
      const chunks = data(await write([{ kind: 'finish', reason }]));
      expect(chunks.at(-2)).toEqual(delta({}, expected));
    }
  });

  it('writes an in-band error then [DONE] and stops on an IR error', async () => {
    const out = await write([
      { kind: 'text_delta', text: 'a' },
      { kind: 'error', error: { code: 'overloaded', message: 'busy', status: 529 } },
      { kind: 'text_delta', text: 'never' },
    ]);
    expect(data(out).slice(-2)).toEqual([
      { error: { message: 'busy', type: 'server_error', param: null, code: 'overloaded' } },
      '[DONE]',
    ]);
    expect(out).toHaveLength(4);
  });

  it('treats a stream that ends without finish as an upstream error', async () => {
    const out = await write([{ kind: 'text_delta', text: 'a' }]);
    expect(data(out).slice(-2)).toEqual([
      {
        error: { message: 'upstream stream ended before it finished', type: 'server_error', param: null, code: 'upstream_error' },
      },
      '[DONE]',
    ]);
  });
});

describe('openai-chat writeResponse', () => {
  it('builds a chat.completion with reasoning, text, tool calls and usage', () => {
    const body = chat.writeResponse(
      {
        content: [
          { kind: 'thinking', text: 'plan', signature: 's' },
          { kind: 'text', text: 'Checking.' },
          { kind: 'tool_call', id: 'call_1', name: 'f', arguments: '{"a":1}' },
        ],
        finishReason: 'tool_calls',
        usage: { inputTokens: 5, outputTokens: 6, cachedInputTokens: 1 },
      },
      ctx(false),
    );
    expect(body).toEqual({
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1700000000,
      model: 'client-model',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Checking.',
            refusal: null,
            reasoning_content: 'plan',
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'f', arguments: '{"a":1}' } }],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: {
        prompt_tokens: 5,
        completion_tokens: 6,
        total_tokens: 11,
        prompt_tokens_details: { cached_tokens: 1 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
  });

  it('answers null content when there is no text', () => {
    const body = chat.writeResponse({ content: [], finishReason: 'stop', usage: {} }, ctx(false));
    expect(body.choices).toEqual([
      { index: 0, message: { role: 'assistant', content: null, refusal: null }, logprobs: null, finish_reason: 'stop' },
    ]);
  });
});

describe('openai-chat errors', () => {
  it('renders a GatewayError in the OpenAI error shape with its status', () => {
    const { status, body } = chat.errorBody(new GatewayError('invalid_request', 'bad n', { param: 'n' }));
    expect(status).toBe(400);
    expect(body).toEqual({ error: { message: 'bad n', type: 'invalid_request_error', param: 'n', code: 'invalid_request' } });
  });

  it('renders a mid-stream error as an error chunk followed by [DONE]', () => {
    const evs = chat.streamError({ code: 'rate_limited', message: 'slow', status: 429 });
    expect(evs).toEqual([
      { data: JSON.stringify({ error: { message: 'slow', type: 'rate_limit_error', param: null, code: 'rate_limited' } }) },
      { data: '[DONE]' },
    ]);
  });
});
