import { describe, expect, it } from 'vitest';
import { collect } from '../../../src/dialects/collect.js';
import type { IrEvent, IrTool } from '../../../src/dialects/ir.js';
import { openAiResponsesDialect as dialect } from '../../../src/dialects/openai-responses/index.js';
import { all, context, from } from './helpers.js';
import { parseStream, writeStream } from '../../support/dialect-streams.js';

const tools: IrTool[] = [
  { name: 'shell', parameters: { type: 'object' } },
  { name: 'apply_patch', parameters: { type: 'object' }, custom: {} },
];

const answer: IrEvent[] = [
  { kind: 'start', id: 'resp_test', model: 'gpt-5.1' },
  { kind: 'thinking_delta', text: 'First ', itemId: 'rs_a' },
  { kind: 'thinking_delta', text: 'thought', itemId: 'rs_a' },
  { kind: 'thinking_signature', signature: 'enc-a' },
  { kind: 'text_delta', text: 'Let me ' },
  { kind: 'text_delta', text: 'check.' },
  { kind: 'tool_call_start', id: 'call_1', name: 'shell' },
  { kind: 'tool_call_delta', id: 'call_1', argumentsDelta: '{"cmd":' },
  { kind: 'tool_call_delta', id: 'call_1', argumentsDelta: '"ls"}' },
  { kind: 'tool_call_end', id: 'call_1' },
  { kind: 'tool_call_start', id: 'call_2', name: 'apply_patch' },
  { kind: 'tool_call_delta', id: 'call_2', argumentsDelta: '{"input":"*** Begin Patch\\n*** End Patch"}' },
  { kind: 'tool_call_end', id: 'call_2' },
  { kind: 'finish', reason: 'tool_calls' },
  { kind: 'usage', usage: { inputTokens: 30, cachedInputTokens: 10, outputTokens: 20, reasoningTokens: 5 } },
];

describe('openai-responses round trip', () => {
  it('parses its own stream back to the same answer', async () => {
    const written = await all(writeStream(dialect, from(answer), context(tools)));
    const parsed = await all(parseStream(dialect, from(written)));
    expect(collect(parsed)).toEqual(collect(answer));
  });

  it('parses its own response object back to the same answer', () => {
    const body = dialect.writeResponse(collect(answer), context(tools));
    expect(collect(dialect.parseResponse(JSON.parse(JSON.stringify(body))))).toEqual(collect(answer));
  });

  it('parses its own failed stream back to the same error', async () => {
    const failing: IrEvent[] = [
      { kind: 'text_delta', text: 'x' },
      { kind: 'error', error: { code: 'rate_limited', message: 'slow', status: 429 } },
    ];
    const parsed = await all(parseStream(dialect, from(await all(writeStream(dialect, from(failing), context())))));
    expect(parsed.at(-1)).toEqual(failing.at(-1));
  });

  it('reads its own request body back to the same conversation', () => {
    const ir = dialect.parseRequest({
      model: 'gpt-5',
      instructions: 'sys',
      input: [
        { role: 'user', content: 'hi' },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 't' }], encrypted_content: 'e' },
        { type: 'function_call', call_id: 'c', name: 'shell', arguments: '{}' },
        { type: 'function_call_output', call_id: 'c', output: 'ok' },
      ],
      tools: [{ type: 'function', name: 'shell', parameters: { type: 'object' } }],
      stream: true,
    });
    const again = dialect.parseRequest(dialect.buildRequest(ir, 'gpt-5'));
    expect(again.system).toEqual(ir.system);
    expect(again.messages).toEqual(ir.messages);
    expect(again.tools).toEqual([{ ...ir.tools[0], strict: false }]);
  });
});
