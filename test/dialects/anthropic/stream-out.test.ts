import { describe, expect, it } from 'vitest';
import { anthropicDialect } from '../../../src/dialects/anthropic/index.js';
import type { IrEvent, IrResponse } from '../../../src/dialects/ir.js';
import { from, payloads, toArray, writeContext } from './helpers.js';
import { writeStream } from '../../support/dialect-streams.js';

const write = (events: IrEvent[]) => toArray(writeStream(anthropicDialect, from(events), writeContext()));

const messageStart = (usage = { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }) => ({
  type: 'message_start',
  message: {
    id: 'msg_gateway_1',
    type: 'message',
    role: 'assistant',
    model: 'claude-sonnet-4-6',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage,
  },
});

describe('anthropic writeStream', () => {
  it('writes the documented basic text stream, field by field', async () => {
    const out = await write([
      { kind: 'start', id: 'upstream-id', model: 'upstream-model' },
      { kind: 'text_delta', text: 'Hello' },
      { kind: 'text_delta', text: '!' },
      { kind: 'finish', reason: 'stop' },
      { kind: 'usage', usage: { inputTokens: 25, outputTokens: 15 } },
    ]);
    expect(out.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(payloads(out)).toEqual([
      messageStart(),
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: '!' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: 15, input_tokens: 25, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
      { type: 'message_stop' },
    ]);
  });

  it('puts usage known at the start into message_start and takes cache tokens out of input_tokens', async () => {
    const out = payloads(
      await write([
        { kind: 'start' },
        { kind: 'usage', usage: { inputTokens: 1210, cachedInputTokens: 1000, cacheCreationInputTokens: 200, outputTokens: 1 } },
        { kind: 'text_delta', text: 'x' },
        { kind: 'usage', usage: { outputTokens: 9 } },
        { kind: 'finish', reason: 'stop' },
      ]),
    );
    expect(out[0]).toEqual(messageStart({ input_tokens: 10, output_tokens: 1, cache_creation_input_tokens: 200, cache_read_input_tokens: 1000 }));
    expect(out.at(-2)).toMatchObject({
      usage: { output_tokens: 9, input_tokens: 10, cache_creation_input_tokens: 200, cache_read_input_tokens: 1000 },
    });
  });

  it("names the gateway's estimate in message_start when the upstream has not counted the prompt yet", async () => {
    const events: IrEvent[] = [{ kind: 'start' }, { kind: 'text_delta', text: 'x' }, { kind: 'usage', usage: { inputTokens: 40, outputTokens: 3 } }, { kind: 'finish', reason: 'stop' }];
    const out = payloads(await toArray(writeStream(anthropicDialect, from(events), { ...writeContext(), inputTokensEstimate: 37 })));
    expect(out[0]).toEqual(messageStart({ input_tokens: 37, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }));
    expect(out.at(-2)).toMatchObject({ usage: { input_tokens: 40, output_tokens: 3 } });
  });

  it("prefers the upstream's prompt count to the estimate", async () => {
    const events: IrEvent[] = [{ kind: 'start' }, { kind: 'usage', usage: { inputTokens: 52 } }, { kind: 'text_delta', text: 'x' }, { kind: 'finish', reason: 'stop' }];
    const out = payloads(await toArray(writeStream(anthropicDialect, from(events), { ...writeContext(), inputTokensEstimate: 37 })));
    expect(out[0]).toMatchObject({ message: { usage: { input_tokens: 52 } } });
  });

  it('opens message_start before the first event when no start came', async () => {
    const out = payloads(await write([{ kind: 'usage', usage: { inputTokens: 5 } }, { kind: 'text_delta', text: 'a' }, { kind: 'finish', reason: 'stop' }]));
    expect(out[0]).toEqual(messageStart({ input_tokens: 5, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }));
  });

  it('writes thinking with its signature, redacted thinking, then text, with rising indices', async () => {
    const out = payloads(
      await write([
        { kind: 'start' },
        { kind: 'thinking_delta', text: 'Let me think' },
        { kind: 'thinking_signature', signature: 'sig-1' },
        { kind: 'redacted_thinking', data: 'opaque' },
        { kind: 'thinking_delta', text: 'unsigned' },
        { kind: 'text_delta', text: 'Answer' },
        { kind: 'finish', reason: 'stop' },
      ]),
    );
    expect(out.slice(1, -2)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-1' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'opaque' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_start', index: 2, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'thinking_delta', thinking: 'unsigned' } },
      { type: 'content_block_stop', index: 2 },
      { type: 'content_block_start', index: 3, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 3, delta: { type: 'text_delta', text: 'Answer' } },
      { type: 'content_block_stop', index: 3 },
    ]);
  });

  it('writes a signature that arrives without thinking text as a thinking block of its own', async () => {
    const out = payloads(await write([{ kind: 'thinking_signature', signature: 's' }, { kind: 'finish', reason: 'stop' }]));
    expect(out.slice(1, 4)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 's' } },
      { type: 'content_block_stop', index: 0 },
    ]);
  });

  it('writes tool calls as tool_use blocks with input_json_delta, closing the text before them', async () => {
    const out = payloads(
      await write([
        { kind: 'start' },
        { kind: 'text_delta', text: 'Checking.' },
        { kind: 'tool_call_start', id: 'toolu_1', name: 'get_weather' },
        { kind: 'tool_call_delta', id: 'toolu_1', argumentsDelta: '{"location":' },
        { kind: 'tool_call_start', id: 'toolu_2', name: 'get_time' },
        { kind: 'tool_call_delta', id: 'toolu_1', argumentsDelta: '"Paris"}' },
        { kind: 'tool_call_delta', id: 'toolu_2', argumentsDelta: '{}' },
        { kind: 'tool_call_end', id: 'toolu_1' },
        { kind: 'tool_call_end', id: 'toolu_2' },
        { kind: 'finish', reason: 'tool_calls' },
      ]),
    );
    expect(out.slice(1)).toEqual([
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking.' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"location":' } },
      { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_2', name: 'get_time', input: {} } },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '"Paris"}' } },
      { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{}' } },
      { type: 'content_block_stop', index: 1 },
      { type: 'content_block_stop', index: 2 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'tool_use', stop_sequence: null },
        usage: { output_tokens: 0, input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
      },
      { type: 'message_stop' },
    ]);
  });

  it('maps finish reasons and the stop sequence', async () => {
    const delta = async (finish: IrEvent) => (payloads(await write([finish])).at(-2) as { delta: unknown }).delta;
    expect(await delta({ kind: 'finish', reason: 'length' })).toEqual({ stop_reason: 'max_tokens', stop_sequence: null });
    expect(await delta({ kind: 'finish', reason: 'stop_sequence', stopSequence: '###' })).toEqual({ stop_reason: 'stop_sequence', stop_sequence: '###' });
    expect(await delta({ kind: 'finish', reason: 'pause' })).toEqual({ stop_reason: 'pause_turn', stop_sequence: null });
    expect(await delta({ kind: 'finish', reason: 'refusal' })).toEqual({ stop_reason: 'refusal', stop_sequence: null });
    expect(await delta({ kind: 'finish', reason: 'content_filter' })).toEqual({ stop_reason: 'end_turn', stop_sequence: null });
  });

  it('closes open blocks and writes an error event on an IR error, then stops', async () => {
    const out = await write([
      { kind: 'start' },
      { kind: 'text_delta', text: 'partial' },
      { kind: 'tool_call_start', id: 'toolu_1', name: 'f' },
      { kind: 'error', error: { code: 'overloaded', message: 'Overloaded', status: 529 } },
      { kind: 'text_delta', text: 'never' },
    ]);
    expect(out.map((e) => e.event)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'content_block_start',
      'content_block_stop',
      'error',
    ]);
    expect(payloads(out).at(-1)).toEqual({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
  });

  it('writes an upstream_error when the IR stream ends without finishing', async () => {
    const out = await write([{ kind: 'start' }, { kind: 'text_delta', text: 'cut' }]);
    expect(out.map((e) => e.event)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'error']);
    expect(payloads(out).at(-1)).toEqual({
      type: 'error',
      error: { type: 'api_error', message: 'upstream stream ended before it finished' },
    });
  });

  it('yields each event as soon as its IR event arrives', async () => {
    const seen: string[] = [];
    async function* slow(): AsyncGenerator<IrEvent> {
      seen.push('start');
      yield { kind: 'start' };
      seen.push('text');
      yield { kind: 'text_delta', text: 'a' };
      seen.push('finish');
      yield { kind: 'finish', reason: 'stop' };
    }
    const it = writeStream(anthropicDialect, slow(), writeContext());
    // message_start waits for the first content (the prompt count may come just before it).
    await it.next();
    expect(seen).toEqual(['start', 'text']);
    await it.next();
    await it.next();
    expect(seen).toEqual(['start', 'text']);
  });
});

describe('anthropic writeResponse', () => {
  const res: IrResponse = {
    id: 'upstream',
    content: [
      { kind: 'thinking', text: 'hmm', signature: 'sig' },
      { kind: 'thinking', text: '', redacted: 'opaque' },
      { kind: 'text', text: 'Here.' },
      { kind: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: '{"location":"Paris"}' },
    ],
    finishReason: 'tool_calls',
    usage: { inputTokens: 112, cachedInputTokens: 100, outputTokens: 40 },
  };

  it('builds a Message from the folded answer', () => {
    expect(anthropicDialect.writeResponse(res, writeContext())).toEqual({
      id: 'msg_gateway_1',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-6',
      content: [
        { type: 'thinking', thinking: 'hmm', signature: 'sig' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'Here.' },
        { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'Paris' } },
      ],
      stop_reason: 'tool_use',
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 40, cache_creation_input_tokens: 0, cache_read_input_tokens: 100 },
    });
  });

  it('carries the stop sequence and writes unparseable tool arguments as an empty input', () => {
    const out = anthropicDialect.writeResponse(
      { content: [{ kind: 'tool_call', id: 't', name: 'f', arguments: '{"broken' }], finishReason: 'stop_sequence', stopSequence: 'END', usage: {} },
      writeContext(),
    );
    expect(out).toMatchObject({ stop_reason: 'stop_sequence', stop_sequence: 'END', content: [{ type: 'tool_use', input: {} }] });
  });
});
