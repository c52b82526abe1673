import { describe, expect, it } from 'vitest';
import type { IrRequest, IrTool } from '../../../src/dialects/ir.js';
import { openAiResponsesDialect as dialect } from '../../../src/dialects/openai-responses/index.js';

const patchTool: IrTool = {
  name: 'apply_patch',
  description: 'Patch files',
  parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] },
  custom: { format: { type: 'grammar', syntax: 'lark', definition: 'start: x' } },
};

function request(over: Partial<IrRequest> = {}): IrRequest {
  return { model: 'client-model', system: [], messages: [], tools: [], stream: true, extensions: {}, ...over };
}

describe('openai-responses buildRequest', () => {
  it('builds a conversation with instructions, media, calls, results and replayable reasoning', () => {
    const body = dialect.buildRequest(
      request({
        system: [{ text: 'Be brief.' }, { text: 'Use tools.' }],
        tools: [{ name: 'shell', parameters: { type: 'object' } }, patchTool],
        messages: [
          {
            role: 'user',
            parts: [
              { kind: 'text', text: 'look' },
              { kind: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'AAAA' } },
              { kind: 'file', source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBE' }, filename: 'a.pdf' },
            ],
          },
          {
            role: 'assistant',
            parts: [
              { kind: 'thinking', text: 'plan', signature: 'enc', itemId: 'rs_9' },
              { kind: 'thinking', text: 'claude thought', signature: 'anthropic-sig' },
              { kind: 'thinking', text: 'made up', signature: 'sig', itemId: 'rs_gw_3' },
              { kind: 'text', text: 'Running.' },
              { kind: 'tool_call', id: 'c1', name: 'shell', arguments: '{"cmd":"ls"}' },
              { kind: 'tool_call', id: 'c2', name: 'apply_patch', arguments: '{"input":"*** Begin Patch"}' },
            ],
          },
          {
            role: 'user',
            parts: [
              { kind: 'tool_result', callId: 'c1', content: [{ kind: 'text', text: 'a.ts' }] },
              { kind: 'tool_result', callId: 'c2', content: [{ kind: 'text', text: 'Done!' }] },
              { kind: 'text', text: 'next' },
            ],
          },
        ],
      }),
      'gpt-5.1',
    );
    expect(body.model).toBe('gpt-5.1');
    expect(body.instructions).toBe('Be brief.\n\nUse tools.');
    expect(body.input).toEqual([
      {
        type: 'message',
        role: 'user',
        content: [
          { type: 'input_text', text: 'look' },
          { type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' },
          { type: 'input_file', file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' },
        ],
      },
      { type: 'reasoning', id: 'rs_9', summary: [{ type: 'summary_text', text: 'plan' }], encrypted_content: 'enc' },
      { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Running.', annotations: [] }] },
      { type: 'function_call', call_id: 'c1', name: 'shell', arguments: '{"cmd":"ls"}' },
      { type: 'custom_tool_call', call_id: 'c2', name: 'apply_patch', input: '*** Begin Patch' },
      { type: 'function_call_output', call_id: 'c1', output: 'a.ts' },
      { type: 'custom_tool_call_output', call_id: 'c2', output: 'Done!' },
      { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'next' }] },
    ]);
    expect(body.tools).toEqual([
      { type: 'function', name: 'shell', parameters: { type: 'object' }, strict: false },
      { type: 'custom', name: 'apply_patch', description: 'Patch files', format: patchTool.custom?.format },
    ]);
    expect(body.store).toBe(false);
    expect(body.stream).toBe(true);
  });

  it('maps options and drops what Responses cannot express', () => {
    const body = dialect.buildRequest(
      request({
        messages: [{ role: 'user', parts: [{ kind: 'text', text: 'hi' }] }],
        tools: [{ name: 'f', parameters: {}, strict: true }],
        toolChoice: { type: 'tool', name: 'f' },
        parallelToolCalls: true,
        maxTokens: 1000,
        temperature: 0.5,
        topP: 0.8,
        topK: 40,
        stop: ['END'],
        seed: 7,
        presencePenalty: 1,
        frequencyPenalty: 1,
        reasoning: { enabled: true, effort: 'xhigh' },
        responseFormat: { type: 'json_schema', name: 'o', schema: { type: 'object' }, strict: true },
        stream: false,
        user: 'u',
        extensions: { promptCacheKey: 'pk', serviceTier: 'flex', previousResponseId: 'resp_1', store: true },
      }),
      'gpt-5',
    );
    expect(body).toEqual({
      model: 'gpt-5',
      input: [{ type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] }],
      tools: [{ type: 'function', name: 'f', parameters: {}, strict: true }],
      tool_choice: { type: 'function', name: 'f' },
      parallel_tool_calls: true,
      max_output_tokens: 1000,
      temperature: 0.5,
      top_p: 0.8,
      reasoning: { effort: 'xhigh', summary: 'auto' },
      include: ['reasoning.encrypted_content'],
      text: { format: { type: 'json_schema', name: 'o', schema: { type: 'object' }, strict: true } },
      store: false,
      stream: false,
      prompt_cache_key: 'pk',
      service_tier: 'flex',
    });
  });

  it('asks medium effort for a budget-only request and omits reasoning when disabled', () => {
    const budget = dialect.buildRequest(request({ reasoning: { enabled: true, budgetTokens: 8000 } }), 'gpt-5');
    expect(budget.reasoning).toEqual({ effort: 'medium', summary: 'auto' });
    const off = dialect.buildRequest(request({ reasoning: { enabled: false, effort: 'none' } }), 'gpt-5');
    expect(off.reasoning).toBeUndefined();
    expect(off.include).toBeUndefined();
  });

  it('sends string tool choices and a custom tool choice as custom', () => {
    const tools = [patchTool];
    expect(dialect.buildRequest(request({ tools, toolChoice: { type: 'required' } }), 'm').tool_choice).toBe('required');
    expect(dialect.buildRequest(request({ tools, toolChoice: { type: 'tool', name: 'apply_patch' } }), 'm').tool_choice).toEqual({
      type: 'custom',
      name: 'apply_patch',
    });
    expect(dialect.buildRequest(request({ toolChoice: { type: 'auto' } }), 'm').tool_choice).toBeUndefined();
  });

  it('sends a tool result with images in the parts form and raises tiny token limits to the minimum', () => {
    const body = dialect.buildRequest(
      request({
        maxTokens: 1,
        messages: [
          {
            role: 'user',
            parts: [
              {
                kind: 'tool_result',
                callId: 'c',
                content: [
                  { kind: 'text', text: 'shot' },
                  { kind: 'image', source: { type: 'url', url: 'https://x.test/s.png' }, detail: 'low' },
                ],
              },
            ],
          },
        ],
      }),
      'm',
    );
    expect(body.max_output_tokens).toBe(16);
    expect(body.input).toEqual([
      {
        type: 'function_call_output',
        call_id: 'c',
        output: [
          { type: 'input_text', text: 'shot' },
          { type: 'input_image', image_url: 'https://x.test/s.png', detail: 'low' },
        ],
      },
    ]);
  });
});
