import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors.js';
import { openAiResponsesDialect as dialect } from '../../../src/dialects/openai-responses/index.js';

function invalid(body: unknown): GatewayError {
  try {
    dialect.parseRequest(body);
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected parseRequest to throw');
}

/** A request shaped like the ones Codex CLI sends. */
const codexRequest = {
  model: 'gpt-5.1-codex',
  instructions: 'You are Codex.',
  input: [
    { type: 'message', role: 'developer', content: [{ type: 'input_text', text: '<permissions>' }] },
    { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'fix the bug' }] },
    {
      type: 'reasoning',
      id: 'rs_1',
      summary: [
        { type: 'summary_text', text: 'Looking' },
        { type: 'summary_text', text: 'Found it' },
      ],
      content: null,
      encrypted_content: 'gAAAA-enc',
    },
    { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Reading files.' }] },
    { type: 'function_call', name: 'shell', arguments: '{"command":["ls"]}', call_id: 'call_1' },
    { type: 'function_call_output', call_id: 'call_1', output: 'a.ts\nb.ts' },
    { type: 'custom_tool_call', status: 'completed', call_id: 'call_2', name: 'apply_patch', input: '*** Begin Patch' },
    { type: 'custom_tool_call_output', call_id: 'call_2', output: 'Done!' },
    { type: 'local_shell_call', call_id: 'call_3', status: 'completed', action: { type: 'exec', command: ['ls'] } },
    { type: 'function_call_output', call_id: 'call_3', output: 'dropped' },
    { role: 'user', content: 'thanks' },
  ],
  tools: [
    { type: 'function', name: 'shell', description: 'Runs a command', strict: false, parameters: { type: 'object', properties: {} } },
    { type: 'custom', name: 'apply_patch', description: 'Patch files', format: { type: 'grammar', syntax: 'lark', definition: 'start: x' } },
    { type: 'local_shell' },
    { type: 'web_search' },
  ],
  tool_choice: 'auto',
  parallel_tool_calls: false,
  reasoning: { effort: 'high', summary: 'auto' },
  store: false,
  stream: true,
  include: ['reasoning.encrypted_content'],
  prompt_cache_key: 'session-1',
  text: { verbosity: 'low' },
};

describe('openai-responses parseRequest', () => {
  it('reads a Codex CLI request into system blocks, merged turns and tools', () => {
    const ir = dialect.parseRequest(codexRequest);
    expect(ir.model).toBe('gpt-5.1-codex');
    expect(ir.system).toEqual([{ text: 'You are Codex.' }, { text: '<permissions>' }]);
    expect(ir.messages).toEqual([
      { role: 'user', parts: [{ kind: 'text', text: 'fix the bug' }] },
      {
        role: 'assistant',
        parts: [
          { kind: 'thinking', text: 'Looking\n\nFound it', signature: 'gAAAA-enc', itemId: 'rs_1' },
          { kind: 'text', text: 'Reading files.' },
          { kind: 'tool_call', id: 'call_1', name: 'shell', arguments: '{"command":["ls"]}' },
        ],
      },
      { role: 'user', parts: [{ kind: 'tool_result', callId: 'call_1', name: 'shell', content: [{ kind: 'text', text: 'a.ts\nb.ts' }] }] },
      { role: 'assistant', parts: [{ kind: 'tool_call', id: 'call_2', name: 'apply_patch', arguments: '{"input":"*** Begin Patch"}' }] },
      {
        role: 'user',
        parts: [
          { kind: 'tool_result', callId: 'call_2', name: 'apply_patch', content: [{ kind: 'text', text: 'Done!' }] },
          { kind: 'text', text: 'thanks' },
        ],
      },
    ]);
    expect(ir.tools).toEqual([
      { name: 'shell', description: 'Runs a command', strict: false, parameters: { type: 'object', properties: {} } },
      {
        name: 'apply_patch',
        description: 'Patch files',
        parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] },
        custom: { format: { type: 'grammar', syntax: 'lark', definition: 'start: x' } },
      },
    ]);
    expect(ir.toolChoice).toEqual({ type: 'auto' });
    expect(ir.parallelToolCalls).toBe(false);
    expect(ir.reasoning).toEqual({ enabled: true, effort: 'high', summary: 'auto' });
    expect(ir.stream).toBe(true);
    expect(ir.extensions).toEqual({ store: false, include: ['reasoning.encrypted_content'], promptCacheKey: 'session-1' });
  });

  it('turns a string input into one user message', () => {
    const ir = dialect.parseRequest({ model: 'gpt-5', input: 'hello' });
    expect(ir.messages).toEqual([{ role: 'user', parts: [{ kind: 'text', text: 'hello' }] }]);
    expect(ir.stream).toBe(false);
    expect(ir.system).toEqual([]);
  });

  it('reads images and files, dropping images known only by file_id', () => {
    const ir = dialect.parseRequest({
      model: 'gpt-5',
      input: [
        {
          role: 'user',
          content: [
            { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'high' },
            { type: 'input_image', image_url: 'https://x.test/cat.jpg' },
            { type: 'input_image', file_id: 'file-1' },
            { type: 'input_file', file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' },
            { type: 'input_file', file_url: 'https://x.test/b.pdf' },
          ],
        },
      ],
    });
    expect(ir.messages[0]?.parts).toEqual([
      { kind: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'AAAA' }, detail: 'high' },
      { kind: 'image', source: { type: 'url', url: 'https://x.test/cat.jpg' } },
      { kind: 'file', source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBE' }, filename: 'a.pdf' },
      { kind: 'file', source: { type: 'url', url: 'https://x.test/b.pdf' } },
    ]);
  });

  it('reads assistant refusals and string content, and tool outputs given as parts', () => {
    const ir = dialect.parseRequest({
      model: 'gpt-5',
      input: [
        { role: 'assistant', content: [{ type: 'refusal', refusal: 'No.' }] },
        { role: 'assistant', content: 'Plain.' },
        { type: 'function_call', call_id: 'c', name: 'look', arguments: '{}' },
        {
          type: 'function_call_output',
          call_id: 'c',
          output: [
            { type: 'input_text', text: 'seen' },
            { type: 'input_image', image_url: 'https://x.test/p.png' },
          ],
        },
      ],
    });
    expect(ir.messages[0]?.parts).toEqual([
      { kind: 'text', text: 'No.' },
      { kind: 'text', text: 'Plain.' },
      { kind: 'tool_call', id: 'c', name: 'look', arguments: '{}' },
    ]);
    expect(ir.messages[1]?.parts).toEqual([
      {
        kind: 'tool_result',
        callId: 'c',
        name: 'look',
        content: [
          { kind: 'text', text: 'seen' },
          { kind: 'image', source: { type: 'url', url: 'https://x.test/p.png' } },
        ],
      },
    ]);
  });

  it('maps sampling, output, format and identity fields', () => {
    const ir = dialect.parseRequest({
      model: 'gpt-5',
      input: 'x',
      max_output_tokens: 500,
      temperature: 0.2,
      top_p: 0.9,
      text: { format: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true } },
      service_tier: 'priority',
      previous_response_id: 'resp_0',
      metadata: { a: 'b', n: 1 },
      safety_identifier: 'user-7',
    });
    expect(ir).toMatchObject({
      maxTokens: 500,
      temperature: 0.2,
      topP: 0.9,
      responseFormat: { type: 'json_schema', name: 'out', schema: { type: 'object' }, strict: true },
      user: 'user-7',
      extensions: { serviceTier: 'priority', previousResponseId: 'resp_0', metadata: { a: 'b' } },
    });
    expect(dialect.parseRequest({ model: 'm', input: 'x', text: { format: { type: 'json_object' } } }).responseFormat).toEqual({
      type: 'json_object',
    });
  });

  it('reads tool_choice forms, treating allowed_tools as auto', () => {
    const choice = (tool_choice: unknown) => dialect.parseRequest({ model: 'm', input: 'x', tool_choice }).toolChoice;
    expect(choice('none')).toEqual({ type: 'none' });
    expect(choice('required')).toEqual({ type: 'required' });
    expect(choice({ type: 'function', name: 'f' })).toEqual({ type: 'tool', name: 'f' });
    expect(choice({ type: 'custom', name: 'apply_patch' })).toEqual({ type: 'tool', name: 'apply_patch' });
    expect(choice({ type: 'allowed_tools', mode: 'auto', tools: [] })).toEqual({ type: 'auto' });
  });

  it('reads reasoning effort none as reasoning disabled', () => {
    expect(dialect.parseRequest({ model: 'm', input: 'x', reasoning: { effort: 'none' } }).reasoning).toEqual({
      enabled: false,
      effort: 'none',
    });
    expect(dialect.parseRequest({ model: 'm', input: 'x', reasoning: { effort: 'minimal' } }).reasoning).toEqual({
      enabled: true,
      effort: 'minimal',
    });
  });

  it('accepts a missing input when previous_response_id is given', () => {
    const ir = dialect.parseRequest({ model: 'm', previous_response_id: 'resp_1' });
    expect(ir.messages).toEqual([]);
  });

  it('rejects a missing model with invalid_request naming model', () => {
    const err = invalid({ input: 'x' });
    expect(err.code).toBe('invalid_request');
    expect(err.param).toBe('model');
  });

  it('rejects a missing or empty input with invalid_request naming input', () => {
    expect(invalid({ model: 'm' }).param).toBe('input');
    expect(invalid({ model: 'm', input: [] }).param).toBe('input');
    expect(invalid({ model: 'm', input: '' }).code).toBe('invalid_request');
  });

  it('rejects wrongly typed fields naming their path', () => {
    expect(invalid({ model: 'm', input: 'x', temperature: 'hot' }).param).toBe('temperature');
    expect(invalid({ model: 'm', input: [{ type: 'function_call', call_id: 'c', name: 'f' }] }).param).toBe('input.0.arguments');
    expect(invalid({ model: 'm', input: [{ role: 'robot', content: 'x' }] }).param).toBe('input.0.role');
    expect(invalid({ model: 'm', input: 'x', tools: [{ type: 'function' }] }).param).toBe('tools.0.name');
    expect(invalid(null).code).toBe('invalid_request');
  });
});
