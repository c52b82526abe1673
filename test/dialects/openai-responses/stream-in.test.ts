import { describe, expect, it } from 'vitest';
import type { SseEvent } from '../../../src/dialects/dialect.js';
import type { IrEvent } from '../../../src/dialects/ir.js';
import { openAiResponsesDialect as dialect } from '../../../src/dialects/openai-responses/index.js';
import { all, from, sse } from './helpers.js';
import { parseStream } from '../../support/dialect-streams.js';

const usage = {
  input_tokens: 100,
  input_tokens_details: { cached_tokens: 40 },
  output_tokens: 50,
  output_tokens_details: { reasoning_tokens: 20 },
  total_tokens: 150,
};

const created = sse('response.created', {
  sequence_number: 0,
  response: { id: 'resp_1', object: 'response', status: 'in_progress', model: 'gpt-5.1-2025-11-13', output: [] },
});

function parse(events: SseEvent[]): Promise<IrEvent[]> {
  return all(parseStream(dialect, from(events)));
}

describe('openai-responses parseStream', () => {
  it('reads reasoning, text, a function call and a custom tool call with usage', async () => {
    const at = (item_id: string, output_index: number) => ({ item_id, output_index });
    const events = [
      created,
      sse('response.in_progress', { response: { id: 'resp_1' } }),
      sse('response.output_item.added', { output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [] } }),
      sse('response.reasoning_summary_part.added', { ...at('rs_1', 0), summary_index: 0, part: { type: 'summary_text', text: '' } }),
      sse('response.reasoning_summary_text.delta', { ...at('rs_1', 0), summary_index: 0, delta: '**Plan**' }),
      sse('response.reasoning_summary_text.done', { ...at('rs_1', 0), summary_index: 0, text: '**Plan**' }),
      sse('response.reasoning_summary_part.added', { ...at('rs_1', 0), summary_index: 1, part: { type: 'summary_text', text: '' } }),
      sse('response.reasoning_summary_text.delta', { ...at('rs_1', 0), summary_index: 1, delta: 'Next' }),
      sse('response.output_item.done', {
        output_index: 0,
        item: { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'gAAA' },
      }),
      sse('response.output_item.added', { output_index: 1, item: { id: 'msg_1', type: 'message', role: 'assistant', content: [] } }),
      sse('response.content_part.added', { ...at('msg_1', 1), content_index: 0, part: { type: 'output_text', text: '' } }),
      sse('response.output_text.delta', { ...at('msg_1', 1), content_index: 0, delta: 'Hel' }),
      sse('response.output_text.delta', { ...at('msg_1', 1), content_index: 0, delta: 'lo' }),
      sse('response.output_text.done', { ...at('msg_1', 1), content_index: 0, text: 'Hello' }),
      sse('response.output_item.done', {
        output_index: 1,
        item: { id: 'msg_1', type: 'message', content: [{ type: 'output_text', text: 'Hello' }] },
      }),
      sse('response.output_item.added', {
        output_index: 2,
        item: { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'shell', arguments: '' },
      }),
      sse('response.function_call_arguments.delta', { ...at('fc_1', 2), delta: '{"cmd"' }),
      sse('response.function_call_arguments.delta', { ...at('fc_1', 2), delta: ':"ls"}' }),
      sse('response.function_call_arguments.done', { ...at('fc_1', 2), arguments: '{"cmd":"ls"}' }),
      sse('response.output_item.done', {
        output_index: 2,
        item: { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'shell', arguments: '{"cmd":"ls"}' },
      }),
      sse('response.output_item.added', {
        output_index: 3,
        item: { id: 'ctc_1', type: 'custom_tool_call', call_id: 'call_2', name: 'apply_patch', input: '' },
      }),
      sse('response.custom_tool_call_input.delta', { ...at('ctc_1', 3), delta: 'line1\n' }),
      sse('response.custom_tool_call_input.delta', { ...at('ctc_1', 3), delta: 'line2' }),
      sse('response.output_item.done', {
        output_index: 3,
        item: { id: 'ctc_1', type: 'custom_tool_call', call_id: 'call_2', name: 'apply_patch', input: 'line1\nline2' },
      }),
      sse('response.completed', { response: { id: 'resp_1', status: 'completed', usage } }),
    ];
    expect(await parse(events)).toEqual([
      { kind: 'start', id: 'resp_1', model: 'gpt-5.1-2025-11-13' },
      { kind: 'thinking_delta', text: '**Plan**', itemId: 'rs_1' },
      { kind: 'thinking_delta', text: '\n\n', itemId: 'rs_1' },
      { kind: 'thinking_delta', text: 'Next', itemId: 'rs_1' },
      { kind: 'thinking_signature', signature: 'gAAA' },
      { kind: 'text_delta', text: 'Hel' },
      { kind: 'text_delta', text: 'lo' },
      { kind: 'tool_call_start', id: 'call_1', name: 'shell' },
      { kind: 'tool_call_delta', id: 'call_1', argumentsDelta: '{"cmd"' },
      { kind: 'tool_call_delta', id: 'call_1', argumentsDelta: ':"ls"}' },
      { kind: 'tool_call_end', id: 'call_1' },
      { kind: 'tool_call_start', id: 'call_2', name: 'apply_patch' },
      { kind: 'tool_call_delta', id: 'call_2', argumentsDelta: '{"input":"line1\\nline2"}' },
      { kind: 'tool_call_end', id: 'call_2' },
      {
        kind: 'usage',
        usage: { inputTokens: 100, cachedInputTokens: 40, outputTokens: 50, reasoningTokens: 20 },
      },
      { kind: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('emits an empty thought before the signature of a reasoning item without summary', async () => {
    const events = [
      created,
      sse('response.output_item.added', { output_index: 0, item: { id: 'rs_2', type: 'reasoning', summary: [] } }),
      sse('response.output_item.done', { output_index: 0, item: { id: 'rs_2', type: 'reasoning', summary: [], encrypted_content: 'enc' } }),
      sse('response.completed', { response: { status: 'completed' } }),
    ];
    expect((await parse(events)).slice(1)).toEqual([
      { kind: 'thinking_delta', text: '', itemId: 'rs_2' },
      { kind: 'thinking_signature', signature: 'enc' },
      { kind: 'finish', reason: 'stop' },
    ]);
  });

  it('emits a call arguments from its done item when no deltas came', async () => {
    const item = { id: 'fc_9', type: 'function_call', call_id: 'call_9', name: 'f', arguments: '{"a":1}' };
    const events = [
      created,
      sse('response.output_item.added', { output_index: 0, item: { ...item, arguments: '' } }),
      sse('response.output_item.done', { output_index: 0, item }),
      sse('response.completed', { response: {} }),
    ];
    expect((await parse(events)).slice(1)).toEqual([
      { kind: 'tool_call_start', id: 'call_9', name: 'f' },
      { kind: 'tool_call_delta', id: 'call_9', argumentsDelta: '{"a":1}' },
      { kind: 'tool_call_end', id: 'call_9' },
      { kind: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('reads refusal deltas as text and an incomplete response as length or content_filter', async () => {
    const length = await parse([
      created,
      sse('response.refusal.delta', { item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'No.' }),
      sse('response.incomplete', { response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } }),
    ]);
    expect(length.slice(1)).toEqual([
      { kind: 'text_delta', text: 'No.' },
      { kind: 'finish', reason: 'length' },
    ]);
    const filtered = await parse([
      created,
      sse('response.incomplete', { response: { status: 'incomplete', incomplete_details: { reason: 'content_filter' } } }),
    ]);
    expect(filtered.at(-1)).toEqual({ kind: 'finish', reason: 'content_filter' });
  });

  it('turns response.failed into an IR error by its code and stops', async () => {
    const events = await parse([
      created,
      sse('response.failed', {
        response: { status: 'failed', error: { code: 'rate_limit_exceeded', message: 'Slow down. Please try again in 2s.' } },
      }),
      sse('response.output_text.delta', { item_id: 'm', output_index: 0, delta: 'late' }),
    ]);
    expect(events.slice(1)).toEqual([
      { kind: 'error', error: { code: 'rate_limited', message: 'Slow down. Please try again in 2s.', status: 429 } },
    ]);
    const server = await parse([
      created,
      sse('response.failed', { response: { status: 'failed', error: { code: 'server_error', message: 'boom' } } }),
    ]);
    expect(server[1]).toEqual({ kind: 'error', error: { code: 'upstream_error', message: 'boom', status: 502 } });
  });

  it('turns an error event into an IR error', async () => {
    const events = await parse([
      created,
      sse('error', { code: 'server_is_overloaded', message: 'busy', param: null, sequence_number: 1 }),
    ]);
    expect(events[1]).toEqual({ kind: 'error', error: { code: 'overloaded', message: 'busy', status: 529 } });
  });

  it('ends without a finish when the input ends early', async () => {
    const events = await parse([created, sse('response.output_text.delta', { item_id: 'm', output_index: 0, delta: 'par' })]);
    expect(events).toEqual([
      { kind: 'start', id: 'resp_1', model: 'gpt-5.1-2025-11-13' },
      { kind: 'text_delta', text: 'par' },
    ]);
  });

  it('fails with upstream_error on an event that is not JSON', async () => {
    await expect(parse([{ event: 'response.created', data: '{oops' }])).rejects.toMatchObject({ code: 'upstream_error' });
  });
});

describe('openai-responses parseResponse', () => {
  it('reads a completed response object into the same events as its stream', () => {
    const events = dialect.parseResponse({
      id: 'resp_2',
      object: 'response',
      status: 'completed',
      model: 'gpt-5',
      output: [
        { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Think' }], encrypted_content: 'enc' },
        { id: 'msg_1', type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Hi', annotations: [] }] },
        { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{}', status: 'completed' },
        { id: 'ctc_1', type: 'custom_tool_call', call_id: 'call_2', name: 'apply_patch', input: 'patch' },
      ],
      usage,
    });
    expect(events).toEqual([
      { kind: 'start', id: 'resp_2', model: 'gpt-5' },
      { kind: 'thinking_delta', text: 'Think', itemId: 'rs_1' },
      { kind: 'thinking_signature', signature: 'enc' },
      { kind: 'text_delta', text: 'Hi' },
      { kind: 'tool_call_start', id: 'call_1', name: 'f' },
      { kind: 'tool_call_delta', id: 'call_1', argumentsDelta: '{}' },
      { kind: 'tool_call_end', id: 'call_1' },
      { kind: 'tool_call_start', id: 'call_2', name: 'apply_patch' },
      { kind: 'tool_call_delta', id: 'call_2', argumentsDelta: '{"input":"patch"}' },
      { kind: 'tool_call_end', id: 'call_2' },
      { kind: 'usage', usage: { inputTokens: 100, cachedInputTokens: 40, outputTokens: 50, reasoningTokens: 20 } },
      { kind: 'finish', reason: 'tool_calls' },
    ]);
  });

  it('reads incomplete and failed response objects', () => {
    const incomplete = dialect.parseResponse({
      id: 'r',
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
      output: [{ type: 'message', content: [{ type: 'output_text', text: 'cut' }] }],
    });
    expect(incomplete.slice(1)).toEqual([
      { kind: 'text_delta', text: 'cut' },
      { kind: 'finish', reason: 'length' },
    ]);
    const failed = dialect.parseResponse({ id: 'r', status: 'failed', error: { code: 'server_error', message: 'x' }, output: [] });
    expect(failed.at(-1)).toEqual({ kind: 'error', error: { code: 'upstream_error', message: 'x', status: 502 } });
  });

  it('rejects a body that is not a response object', () => {
    expect(() => dialect.parseResponse('nope')).toThrow(expect.objectContaining({ code: 'upstream_error' }));
  });
});
