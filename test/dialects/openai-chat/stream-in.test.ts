import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors.js';
import { openAiChatDialect as chat } from '../../../src/dialects/openai-chat/index.js';
import type { SseEvent } from '../../../src/dialects/dialect.js';
import type { IrEvent } from '../../../src/dialects/ir.js';
import { parseStream } from '../../support/dialect-streams.js';

async function* from<T>(xs: T[]): AsyncGenerator<T> {
  yield* xs;
}

async function parse(events: SseEvent[]): Promise<IrEvent[]> {
  const out: IrEvent[] = [];
  for await (const ev of parseStream(chat, from(events))) out.push(ev);
  return out;
}

const head = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'glm-4.6' };
const chunk = (delta: object, finish: string | null = null, extra: object = {}): SseEvent => ({
  data: JSON.stringify({ ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra }),
});
const usageChunk = (usage: object): SseEvent => ({ data: JSON.stringify({ ...head, choices: [], usage }) });
const DONE: SseEvent = { data: '[DONE]' };

describe('openai-chat parseStream', () => {
  it('reads reasoning, text, usage after finish, then stops at [DONE]', async () => {
    const events = await parse([
      chunk({ role: 'assistant', content: '' }),
      chunk({ reasoning_content: 'think' }),
      chunk({ reasoning: 'ing' }),
      chunk({ content: 'Hel' }),
      chunk({ content: 'lo' }),
      chunk({}, 'stop'),
      usageChunk({
        prompt_tokens: 10,
        completion_tokens: 5,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 4 },
        completion_tokens_details: { reasoning_tokens: 2 },
      }),
      DONE,
      chunk({ content: 'ignored after DONE' }),
    ]);
    expect(events).toEqual([
      { kind: 'start', id: 'chatcmpl-1', model: 'glm-4.6' },
      { kind: 'thinking_delta', text: 'think' },
      { kind: 'thinking_delta', text: 'ing' },
      { kind: 'text_delta', text: 'Hel' },
      { kind: 'text_delta', text: 'lo' },
      { kind: 'finish', reason: 'stop' },
      { kind: 'usage', usage: { inputTokens: 10, outputTokens: 5, cachedInputTokens: 4, reasoningTokens: 2 } },
    ]);
  });

  it('brackets streamed tool calls and closes them at finish_reason', async () => {
    const events = await parse([
      chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }),
      chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } }] }),
      chunk({}, 'tool_calls', { usage: { prompt_tokens: 3, completion_tokens: 4 } }),
      DONE,
    ]);
    expect(events).toEqual([
      { kind: 'start', id: 'chatcmpl-1', model: 'glm-4.6' },
      { kind: 'tool_call_start', id: 'call_a', name: 'get_weather' },
      { kind: 'tool_call_delta', id: 'call_a', argumentsDelta: '{"city":' },
      { kind: 'tool_call_delta', id: 'call_a', argumentsDelta: '"Paris"}' },
      { kind: 'tool_call_start', id: 'call_b', name: 'get_time' },
      { kind: 'tool_call_delta', id: 'call_b', argumentsDelta: '{}' },
      { kind: 'tool_call_end', id: 'call_a' },
      { kind: 'tool_call_end', id: 'call_b' },
      { kind: 'usage', usage: { inputTokens: 3, outputTokens: 4 } },
      { kind: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('invents a call id from the chunk id when the upstream sends none', async () => {
    const events = await parse([chunk({ tool_calls: [{ index: 2, function: { name: 'f', arguments: '{}' } }] }), DONE]);
    expect(events).toContainEqual({ kind: 'tool_call_start', id: 'call_chatcmpl-1_2', name: 'f' });
  });

  it('closes open tool calls when the stream ends without a finish_reason', async () => {
    const events = await parse([chunk({ tool_calls: [{ index: 0, id: 'c', function: { name: 'f', arguments: '{}' } }] })]);
    expect(events.at(-1)).toEqual({ kind: 'tool_call_end', id: 'c' });
    expect(events.some((e) => e.kind === 'finish')).toBe(false);
  });

  it('maps finish reasons', async () => {
    const reasons = await Promise.all(
      ['stop', 'length', 'tool_calls', 'function_call', 'content_filter', 'weird'].map(async (r) => (await parse([chunk({}, r)])).at(-1)),
    );
    expect(reasons).toEqual(
      ['stop', 'length', 'tool_calls', 'tool_calls', 'content_filter', 'stop'].map((reason) => ({ kind: 'finish', reason })),
    );
  });

  it('turns an in-band error into an IR error and stops', async () => {
    const events = await parse([
      chunk({ content: 'a' }),
      { data: JSON.stringify({ error: { message: 'Overloaded', type: 'overloaded_error', code: null } }) },
      chunk({ content: 'never' }),
    ]);
    expect(events.at(-1)).toEqual({ kind: 'error', error: { code: 'overloaded', message: 'Overloaded', status: 529 } });
    expect(events.filter((e) => e.kind === 'text_delta')).toHaveLength(1);
  });

  it('classifies rate limits and other upstream errors', async () => {
    const rate = await parse([{ data: JSON.stringify({ error: { message: 'slow down', type: 'rate_limit_error', code: 'rate_limit_exceeded' } }) }]);
    expect(rate).toEqual([{ kind: 'error', error: { code: 'rate_limited', message: 'slow down', status: 429 } }]);
    const other = await parse([{ data: JSON.stringify({ error: { message: 'boom', type: 'server_error' } }) }]);
    expect(other).toEqual([{ kind: 'error', error: { code: 'upstream_error', message: 'boom', status: 502 } }]);
  });

  it('treats a non-JSON event as an upstream fault', async () => {
    await expect(parse([{ data: '{nope' }])).rejects.toMatchObject({ code: 'upstream_error' });
    await expect(parse([{ data: '{nope' }])).rejects.toBeInstanceOf(GatewayError);
  });
});

describe('openai-chat parseResponse', () => {
  it('reads a chat.completion with reasoning, text, tool calls and usage', () => {
    const events = chat.parseResponse({
      id: 'chatcmpl-9',
      object: 'chat.completion',
      created: 1,
      model: 'kimi-k2',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: 'Let me check.',
            reasoning_content: 'tool time',
            tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
          },
          logprobs: null,
          finish_reason: 'tool_calls',
        },
      ],
      usage: { prompt_tokens: 9, completion_tokens: 12, total_tokens: 21 },
    });
    expect(events).toEqual([
      { kind: 'start', id: 'chatcmpl-9', model: 'kimi-k2' },
      { kind: 'thinking_delta', text: 'tool time' },
      { kind: 'text_delta', text: 'Let me check.' },
      { kind: 'tool_call_start', id: 'call_1', name: 'get_weather' },
      { kind: 'tool_call_delta', id: 'call_1', argumentsDelta: '{"city":"Paris"}' },
      { kind: 'tool_call_end', id: 'call_1' },
      { kind: 'usage', usage: { inputTokens: 9, outputTokens: 12 } },
      { kind: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('reads an error body as an IR error and rejects a malformed body', () => {
    expect(chat.parseResponse({ error: { message: 'x', type: 'rate_limit_error' } })).toEqual([
      { kind: 'error', error: { code: 'rate_limited', message: 'x', status: 429 } },
    ]);
    expect(() => chat.parseResponse({ choices: 'nope' })).toThrow(GatewayError);
  });
});
