import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors.js';
import type { IrEvent, IrTool } from '../../../src/dialects/ir.js';
import { openAiResponsesDialect as dialect } from '../../../src/dialects/openai-responses/index.js';
import { all, context, decode, from, type WrittenEvent } from './helpers.js';
import { writeStream } from '../../support/dialect-streams.js';

const patchTool: IrTool = {
  name: 'apply_patch',
  parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] },
  custom: { format: { type: 'grammar', syntax: 'lark', definition: 'start: x' } },
};

async function write(events: IrEvent[], tools: IrTool[] = []): Promise<WrittenEvent[]> {
  return decode(await all(writeStream(dialect, from(events), context(tools))));
}

describe('openai-responses writeStream', () => {
  it('writes a text answer as created, in_progress, one message item and completed', async () => {
    const out = await write([
      { kind: 'start', id: 'up', model: 'm' },
      { kind: 'text_delta', text: 'Hel' },
      { kind: 'text_delta', text: 'lo' },
      { kind: 'finish', reason: 'stop' },
      { kind: 'usage', usage: { inputTokens: 10, cachedInputTokens: 4, outputTokens: 3 } },
    ]);
    expect(out.map((e) => e.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    out.forEach((e, i) => {
      expect(e.data.type).toBe(e.event);
      expect(e.data.sequence_number).toBe(i);
    });
    expect(out[0]?.data.response).toMatchObject({
      id: 'resp_test',
      object: 'response',
      created_at: 1_700_000_000,
      status: 'in_progress',
      model: 'gpt-5.1',
      output: [],
      usage: null,
      error: null,
    });
    expect(out[2]?.data).toMatchObject({
      output_index: 0,
      item: { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] },
    });
    expect(out[3]?.data).toMatchObject({
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      part: { type: 'output_text', text: '', annotations: [] },
    });
    expect(out[4]?.data).toMatchObject({ item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hel' });
    expect(out[6]?.data).toMatchObject({ text: 'Hello' });
    const message = { id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [expect.objectContaining({ text: 'Hello' })] };
    expect(out[8]?.data.item).toEqual(message);
    expect(out[9]?.data.response).toMatchObject({
      status: 'completed',
      output: [message],
      usage: {
        input_tokens: 10,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens: 3,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: 13,
      },
    });
  });

  it('writes reasoning, text, a function call and a custom tool call as separate items', async () => {
    const out = await write(
      [
        { kind: 'thinking_delta', text: 'Plan', itemId: 'rs_up' },
        { kind: 'thinking_signature', signature: 'enc' },
        { kind: 'text_delta', text: 'Doing it.' },
        { kind: 'tool_call_start', id: 'call_1', name: 'shell' },
        { kind: 'tool_call_delta', id: 'call_1', argumentsDelta: '{"cmd":' },
        { kind: 'tool_call_delta', id: 'call_1', argumentsDelta: '"ls"}' },
        { kind: 'tool_call_end', id: 'call_1' },
        { kind: 'tool_call_start', id: 'call_2', name: 'apply_patch' },
        { kind: 'tool_call_delta', id: 'call_2', argumentsDelta: '{"input":"*** Begin' },
        { kind: 'tool_call_delta', id: 'call_2', argumentsDelta: ' Patch"}' },
        { kind: 'tool_call_end', id: 'call_2' },
        { kind: 'usage', usage: { inputTokens: 5, outputTokens: 7, reasoningTokens: 2 } },
        { kind: 'finish', reason: 'tool_calls' },
      ],
      [patchTool],
    );
    expect(out.map((e) => e.event).slice(2)).toEqual([
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.custom_tool_call_input.delta',
      'response.custom_tool_call_input.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const byType = (type: string) => out.filter((e) => e.event === type).map((e) => e.data);
    expect(byType('response.reasoning_summary_part.added')[0]).toMatchObject({
      item_id: 'rs_up',
      output_index: 0,
      summary_index: 0,
      part: { type: 'summary_text', text: '' },
    });
    expect(byType('response.reasoning_summary_text.delta')[0]).toMatchObject({ item_id: 'rs_up', summary_index: 0, delta: 'Plan' });
    expect(byType('response.function_call_arguments.delta')[0]).toMatchObject({ item_id: 'fc_2', output_index: 2, delta: '{"cmd":' });
    expect(byType('response.function_call_arguments.done')[0]).toMatchObject({ item_id: 'fc_2', arguments: '{"cmd":"ls"}' });
    expect(byType('response.custom_tool_call_input.delta')[0]).toMatchObject({ item_id: 'ctc_3', output_index: 3, delta: '*** Begin Patch' });
    const done = byType('response.output_item.done').map((d) => d.item);
    expect(done).toEqual([
      { id: 'rs_up', type: 'reasoning', summary: [{ type: 'summary_text', text: 'Plan' }], encrypted_content: 'enc' },
      expect.objectContaining({ id: 'msg_1', type: 'message' }),
      { id: 'fc_2', type: 'function_call', status: 'completed', call_id: 'call_1', name: 'shell', arguments: '{"cmd":"ls"}' },
      { id: 'ctc_3', type: 'custom_tool_call', status: 'completed', call_id: 'call_2', name: 'apply_patch', input: '*** Begin Patch' },
    ]);
    const completed = byType('response.completed')[0]?.response;
    expect(completed).toMatchObject({ status: 'completed', output: done, usage: { output_tokens_details: { reasoning_tokens: 2 } } });
  });

  it('gives a reasoning item without an upstream id a gateway id and no summary part when empty', async () => {
    const out = await write([
      { kind: 'thinking_signature', signature: 'anthropic-sig' },
      { kind: 'finish', reason: 'stop' },
    ]);
    expect(out.map((e) => e.event).slice(2, -1)).toEqual(['response.output_item.added', 'response.output_item.done']);
    expect(out[3]?.data.item).toEqual({ id: 'rs_gw_1', type: 'reasoning', summary: [], encrypted_content: 'anthropic-sig' });
  });

  it('ends with response.incomplete when the answer was cut at the token limit', async () => {
    const out = await write([
      { kind: 'text_delta', text: 'cut' },
      { kind: 'finish', reason: 'length' },
    ]);
    expect(out.at(-1)?.event).toBe('response.incomplete');
    expect(out.at(-1)?.data.response).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
  });

  it('closes open items and fails the response on an error', async () => {
    const out = await write([
      { kind: 'text_delta', text: 'part' },
      { kind: 'tool_call_start', id: 'c', name: 'f' },
      { kind: 'error', error: { code: 'rate_limited', message: 'slow down', status: 429 } },
      { kind: 'text_delta', text: 'ignored' },
    ]);
    expect(out.map((e) => e.event).slice(-3)).toEqual([
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.failed',
    ]);
    const failed = out.at(-1)?.data.response;
    expect(failed).toMatchObject({ status: 'failed', error: { code: 'rate_limit_exceeded', message: 'slow down' } });
    expect(failed).toMatchObject({ output: [expect.objectContaining({ type: 'message' }), expect.objectContaining({ status: 'incomplete' })] });
  });

  it('fails the response when the stream ends without a finish', async () => {
    const out = await write([{ kind: 'text_delta', text: 'x' }]);
    expect(out.at(-1)?.event).toBe('response.failed');
    expect(out.at(-1)?.data.response).toMatchObject({
      error: { code: 'server_error', message: 'upstream stream ended before it finished' },
    });
  });
});

describe('openai-responses writeResponse', () => {
  it('builds the response object with items and usage', () => {
    const body = dialect.writeResponse(
      {
        content: [
          { kind: 'thinking', text: 'T', signature: 's', itemId: 'rs_1' },
          { kind: 'text', text: 'Answer' },
          { kind: 'tool_call', id: 'call_1', name: 'f', arguments: '{"a":1}' },
          { kind: 'tool_call', id: 'call_2', name: 'apply_patch', arguments: '{"input":"p"}' },
        ],
        finishReason: 'tool_calls',
        usage: { inputTokens: 3, outputTokens: 4 },
      },
      context([patchTool]),
    );
    expect(body).toMatchObject({
      id: 'resp_test',
      object: 'response',
      created_at: 1_700_000_000,
      model: 'gpt-5.1',
      status: 'completed',
      error: null,
      incomplete_details: null,
      output: [
        { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'T' }], encrypted_content: 's' },
        { id: 'msg_1', type: 'message', status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Answer', annotations: [] }] },
        { id: 'fc_2', type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{"a":1}' },
        { id: 'ctc_3', type: 'custom_tool_call', call_id: 'call_2', name: 'apply_patch', input: 'p' },
      ],
      usage: { input_tokens: 3, output_tokens: 4, total_tokens: 7, input_tokens_details: { cached_tokens: 0 } },
    });
    expect(body).not.toHaveProperty('output_text');
  });

  it('marks a length-cut answer incomplete', () => {
    const body = dialect.writeResponse({ content: [], finishReason: 'length', usage: {} }, context());
    expect(body).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } });
  });
});

describe('openai-responses errors', () => {
  it('renders a GatewayError as an OpenAI error body', () => {
    const { status, body } = dialect.errorBody(new GatewayError('invalid_request', 'input: Required', { param: 'input' }));
    expect(status).toBe(400);
    expect(body).toEqual({ error: { message: 'input: Required', type: 'invalid_request_error', param: 'input', code: 'invalid_request' } });
  });

  it('renders a stream failure as one response.failed event', () => {
    const events = decode(dialect.streamError({ code: 'overloaded', message: 'busy', status: 529 }));
    expect(events).toHaveLength(1);
    expect(events[0]?.event).toBe('response.failed');
    expect(events[0]?.data).toMatchObject({
      type: 'response.failed',
      sequence_number: 0,
      response: { id: 'resp_error', object: 'response', status: 'failed', error: { code: 'server_error', message: 'busy' }, output: [] },
    });
  });
});
