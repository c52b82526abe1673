import { describe, expect, it } from 'vitest';
import { anthropicDialect } from '../../../src/dialects/anthropic/index.js';
import { collect } from '../../../src/dialects/collect.js';
import type { IrEvent } from '../../../src/dialects/ir.js';
import { GatewayError } from '../../../src/errors.js';
import { from, sse, toArray } from './helpers.js';
import { parseStream } from '../../support/dialect-streams.js';

const parse = (events: Array<Record<string, unknown> & { type: string }>): Promise<IrEvent[]> =>
  toArray(parseStream(anthropicDialect, from(events.map(sse))));

const messageStart = (usage: Record<string, unknown> = { input_tokens: 25, output_tokens: 1 }) => ({
  type: 'message_start',
  message: {
    id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY',
    type: 'message',
    role: 'assistant',
    content: [],
    model: 'claude-opus-4-1',
    stop_reason: null,
    stop_sequence: null,
    usage,
  },
});

describe('anthropic parseStream', () => {
  it('reads the documented basic text stream', async () => {
    const events = await parse([
      messageStart(),
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'ping' },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '!' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } },
      { type: 'message_stop' },
    ]);
    expect(events).toEqual([
      { kind: 'start', id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY', model: 'claude-opus-4-1' },
      { kind: 'usage', usage: { inputTokens: 25, outputTokens: 1 } },
      { kind: 'text_delta', text: 'Hello' },
      { kind: 'text_delta', text: '!' },
      { kind: 'usage', usage: { inputTokens: 25, outputTokens: 15 } },
      { kind: 'finish', reason: 'stop' },
    ]);
  });

  it('reads thinking with its signature, then text', async () => {
    const events = await parse([
      messageStart(),
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me solve this step by step:' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: '\n\n1. First break down 27 * 453' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'EmwKAhgBEgy3' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: '27 * 453 = 12,231' } },
      { type: 'content_block_stop', index: 2 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 30 } },
      { type: 'message_stop' },
    ]);
    expect(events.slice(2, 7)).toEqual([
      { kind: 'thinking_delta', text: 'Let me solve this step by step:' },
      { kind: 'thinking_delta', text: '\n\n1. First break down 27 * 453' },
      { kind: 'thinking_signature', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
      { kind: 'redacted_thinking', data: 'EmwKAhgBEgy3' },
      { kind: 'text_delta', text: '27 * 453 = 12,231' },
    ]);
    expect(collect(events).content).toEqual([
      { kind: 'thinking', text: 'Let me solve this step by step:\n\n1. First break down 27 * 453', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds' },
      { kind: 'thinking', text: '', redacted: 'EmwKAhgBEgy3' },
      { kind: 'text', text: '27 * 453 = 12,231' },
    ]);
  });

  it('brackets a tool call with argument deltas, and finishes with tool_calls', async () => {
    const events = await parse([
      messageStart({ input_tokens: 472, output_tokens: 2 }),
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Okay, let me check' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"location":' } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: ' "San Francisco, CA"}' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 89 } },
      { type: 'message_stop' },
    ]);
    const id = 'toolu_01T1x1fJ34qAmk2tNTrN7Up6';
    expect(events.slice(3)).toEqual([
      { kind: 'tool_call_start', id, name: 'get_weather' },
      { kind: 'tool_call_delta', id, argumentsDelta: '{"location":' },
      { kind: 'tool_call_delta', id, argumentsDelta: ' "San Francisco, CA"}' },
      { kind: 'tool_call_end', id },
      { kind: 'usage', usage: { inputTokens: 472, outputTokens: 89 } },
      { kind: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('counts cache reads and writes into input tokens', async () => {
    const events = await parse([
      messageStart({ input_tokens: 10, cache_read_input_tokens: 1000, cache_creation_input_tokens: 200, output_tokens: 1 }),
      { type: 'message_delta', delta: { stop_reason: 'max_tokens', stop_sequence: null }, usage: { output_tokens: 50, output_tokens_details: { reasoning_tokens: 20 } } },
      { type: 'message_stop' },
    ]);
    expect(events.slice(1)).toEqual([
      { kind: 'usage', usage: { inputTokens: 1210, cachedInputTokens: 1000, cacheCreationInputTokens: 200, outputTokens: 1 } },
      { kind: 'usage', usage: { inputTokens: 1210, cachedInputTokens: 1000, cacheCreationInputTokens: 200, outputTokens: 50, reasoningTokens: 20 } },
      { kind: 'finish', reason: 'length' },
    ]);
  });

  it('takes input counts from message_delta when it repeats them', async () => {
    const events = await parse([
      messageStart({ input_tokens: 0, output_tokens: 0 }),
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { input_tokens: 40, cache_read_input_tokens: 8, output_tokens: 3 } },
    ]);
    expect(events[2]).toEqual({ kind: 'usage', usage: { inputTokens: 48, cachedInputTokens: 8, outputTokens: 3 } });
  });

  it('reports the stop sequence that ended the answer', async () => {
    const events = await parse([
      messageStart(),
      { type: 'message_delta', delta: { stop_reason: 'stop_sequence', stop_sequence: '###' }, usage: { output_tokens: 2 } },
      { type: 'message_stop' },
    ]);
    expect(events.at(-1)).toEqual({ kind: 'finish', reason: 'stop_sequence', stopSequence: '###' });
  });

  it('ignores server tool blocks, citations and unknown events', async () => {
    const events = await parse([
      messageStart(),
      { type: 'content_block_start', index: 0, content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"query":"x"}' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'citations_delta', citation: { type: 'web_search_result_location' } } },
      { type: 'content_block_delta', index: 2, delta: { type: 'text_delta', text: 'cited' } },
      { type: 'content_block_stop', index: 2 },
      { type: 'brand_new_event', foo: 1 },
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 5 } },
      { type: 'message_stop' },
    ]);
    expect(events.filter((e) => e.kind !== 'usage')).toEqual([
      { kind: 'start', id: 'msg_1nZdL29xx5MUA1yADyHTEsnR8uuvGzszyY', model: 'claude-opus-4-1' },
      { kind: 'text_delta', text: 'cited' },
      { kind: 'finish', reason: 'stop' },
    ]);
  });

  it('turns an in-band overloaded error into an IR error and stops', async () => {
    const events = await parse([
      messageStart(),
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'never' } },
    ]);
    expect(events.at(-1)).toEqual({ kind: 'error', error: { code: 'overloaded', message: 'Overloaded', status: 529 } });
    expect(events.some((e) => e.kind === 'text_delta')).toBe(false);
  });

  it('maps the other in-band error types', async () => {
    const errorOf = async (type: string) => (await parse([{ type: 'error', error: { type, message: 'm' } }]))[0];
    expect(await errorOf('rate_limit_error')).toEqual({ kind: 'error', error: { code: 'rate_limited', message: 'm', status: 429 } });
    expect(await errorOf('api_error')).toEqual({ kind: 'error', error: { code: 'upstream_error', message: 'm', status: 502 } });
    expect(await errorOf('invalid_request_error')).toEqual({ kind: 'error', error: { code: 'invalid_request', message: 'm', status: 400 } });
    expect(await errorOf('something_new')).toEqual({ kind: 'error', error: { code: 'upstream_error', message: 'm', status: 502 } });
  });

  it('stops at message_stop and ignores what follows', async () => {
    const events = await parse([
      messageStart(),
      { type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 1 } },
      { type: 'message_stop' },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: 'late' } },
    ]);
    expect(events.at(-1)).toEqual({ kind: 'finish', reason: 'stop' });
  });

  it('finishes with stop when message_stop comes without a stop reason', async () => {
    const events = await parse([messageStart(), { type: 'message_stop' }]);
    expect(events.at(-1)).toEqual({ kind: 'finish', reason: 'stop' });
  });

  it('fails with upstream_error on a malformed known event', async () => {
    const bad = parse([{ type: 'content_block_delta', delta: 'nope' }]);
    await expect(bad).rejects.toBeInstanceOf(GatewayError);
    await expect(bad).rejects.toMatchObject({ code: 'upstream_error' });
  });

  it('fails with upstream_error on data that is not JSON', async () => {
    const bad = toArray(parseStream(anthropicDialect, from([{ event: 'message_start', data: '{oops' }])));
    await expect(bad).rejects.toMatchObject({ code: 'upstream_error' });
  });
});

describe('anthropic parseResponse', () => {
  const message = {
    id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-6',
    content: [
      { type: 'thinking', thinking: 'hmm', signature: 'sig' },
      { type: 'text', text: 'Let me look.' },
      { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'Paris' } },
      { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} },
    ],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 12, cache_read_input_tokens: 100, cache_creation_input_tokens: 0, output_tokens: 40 },
  };

  it('unfolds a Message into the same events a stream gives', () => {
    expect(anthropicDialect.parseResponse(message)).toEqual([
      { kind: 'start', id: 'msg_01XFDUDYJgAACzvnptvVoYEL', model: 'claude-sonnet-4-6' },
      { kind: 'usage', usage: { inputTokens: 112, cachedInputTokens: 100, cacheCreationInputTokens: 0, outputTokens: 40 } },
      { kind: 'thinking_delta', text: 'hmm' },
      { kind: 'thinking_signature', signature: 'sig' },
      { kind: 'text_delta', text: 'Let me look.' },
      { kind: 'tool_call_start', id: 'toolu_1', name: 'get_weather' },
      { kind: 'tool_call_delta', id: 'toolu_1', argumentsDelta: '{"location":"Paris"}' },
      { kind: 'tool_call_end', id: 'toolu_1' },
      { kind: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('turns an error body into an IR error', () => {
    expect(anthropicDialect.parseResponse({ type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } })).toEqual([
      { kind: 'error', error: { code: 'rate_limited', message: 'slow down', status: 429 } },
    ]);
  });

  it('rejects a body that is not a Message with upstream_error', () => {
    expect(() => anthropicDialect.parseResponse({ nope: true })).toThrow(GatewayError);
  });
});
