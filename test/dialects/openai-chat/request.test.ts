import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../src/errors.js';
import { openAiChatDialect as chat } from '../../../src/dialects/openai-chat/index.js';
import type { IrRequest } from '../../../src/dialects/ir.js';

function invalid(body: unknown): GatewayError {
  try {
    chat.parseRequest(body);
  } catch (err) {
    if (err instanceof GatewayError) return err;
    throw err;
  }
  throw new Error('expected parseRequest to fail');
}

const base = { model: 'glm-4.6', messages: [{ role: 'user', content: 'hi' }] };

describe('openai-chat parseRequest', () => {
  it('reads a minimal request with defaults', () => {
    const ir = chat.parseRequest(base);
    expect(ir).toEqual({
      model: 'glm-4.6',
      system: [],
      messages: [{ role: 'user', parts: [{ kind: 'text', text: 'hi' }] }],
      tools: [],
      stream: false,
      extensions: {},
    });
  });

  it('collects every system and developer message, wherever it sits, in order', () => {
    const ir = chat.parseRequest({
      model: 'm',
      messages: [
        { role: 'system', content: 'one' },
        { role: 'user', content: 'hi' },
        { role: 'developer', content: [{ type: 'text', text: 'two' }, { type: 'text', text: 'three' }] },
      ],
    });
    expect(ir.system).toEqual([{ text: 'one' }, { text: 'two' }, { text: 'three' }]);
    expect(ir.messages).toHaveLength(1);
  });

  it('reads user parts: text, image URLs, data URLs, files, and drops audio', () => {
    const ir = chat.parseRequest({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'look' },
            { type: 'image_url', image_url: { url: 'https://x.test/a.png', detail: 'high' } },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBE', filename: 'a.pdf' } },
            { type: 'input_audio', input_audio: { data: 'xx', format: 'wav' } },
          ],
        },
      ],
    });
    expect(ir.messages[0]?.parts).toEqual([
      { kind: 'text', text: 'look' },
      { kind: 'image', source: { type: 'url', url: 'https://x.test/a.png' }, detail: 'high' },
      { kind: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'AAAA' } },
      { kind: 'file', source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBE' }, filename: 'a.pdf' },
    ]);
  });

  it('reads an assistant turn: reasoning_content first, then text, then tool calls', () => {
    const ir = chat.parseRequest({
      model: 'm',
      messages: [
        { role: 'user', content: 'weather?' },
        {
          role: 'assistant',
          content: 'checking',
          reasoning_content: 'need the tool',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
        },
      ],
    });
    expect(ir.messages[1]).toEqual({
      role: 'assistant',
      parts: [
        { kind: 'thinking', text: 'need the tool' },
        { kind: 'text', text: 'checking' },
        { kind: 'tool_call', id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
      ],
    });
  });

  it('merges consecutive tool messages and the following user text into one user message', () => {
    const ir = chat.parseRequest({
      model: 'm',
      messages: [
        { role: 'user', content: 'go' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'a', type: 'function', function: { name: 'f', arguments: '{}' } },
            { id: 'b', type: 'function', function: { name: 'g', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'a', content: 'A' },
        { role: 'tool', tool_call_id: 'b', content: [{ type: 'text', text: 'B' }] },
        { role: 'user', content: 'thanks' },
      ],
    });
    expect(ir.messages).toHaveLength(3);
    expect(ir.messages[2]).toEqual({
      role: 'user',
      parts: [
        { kind: 'tool_result', callId: 'a', content: [{ kind: 'text', text: 'A' }] },
        { kind: 'tool_result', callId: 'b', content: [{ kind: 'text', text: 'B' }] },
        { kind: 'text', text: 'thanks' },
      ],
    });
  });

  it('pairs legacy function_call and function messages by name', () => {
    const ir = chat.parseRequest({
      model: 'm',
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: null, function_call: { name: 'f', arguments: '{"x":1}' } },
        { role: 'function', name: 'f', content: 'done' },
      ],
      functions: [{ name: 'f', parameters: { type: 'object', properties: { x: { type: 'number' } } } }],
      function_call: { name: 'f' },
    });
    expect(ir.messages[1]?.parts).toEqual([{ kind: 'tool_call', id: 'f', name: 'f', arguments: '{"x":1}' }]);
    expect(ir.messages[2]?.parts).toEqual([
      { kind: 'tool_result', callId: 'f', name: 'f', content: [{ kind: 'text', text: 'done' }] },
    ]);
    expect(ir.tools[0]?.name).toBe('f');
    expect(ir.toolChoice).toEqual({ type: 'tool', name: 'f' });
  });

  it('reads function tools, defaults missing parameters and drops other tool types', () => {
    const ir = chat.parseRequest({
      ...base,
      tools: [
        { type: 'function', function: { name: 'a', description: 'A', parameters: { type: 'object' }, strict: true } },
        { type: 'function', function: { name: 'b' } },
        { type: 'custom', custom: { name: 'c' } },
      ],
      tool_choice: { type: 'function', function: { name: 'a' } },
      parallel_tool_calls: false,
    });
    expect(ir.tools).toEqual([
      { name: 'a', description: 'A', parameters: { type: 'object' }, strict: true },
      { name: 'b', parameters: { type: 'object', properties: {} } },
    ]);
    expect(ir.toolChoice).toEqual({ type: 'tool', name: 'a' });
    expect(ir.parallelToolCalls).toBe(false);
  });

  it('reads sampling, limits, reasoning, response format and extensions', () => {
    const ir = chat.parseRequest({
      ...base,
      max_tokens: 10,
      max_completion_tokens: 20,
      temperature: 0.5,
      top_p: 0.9,
      stop: 'END',
      presence_penalty: 0.1,
      frequency_penalty: 0.2,
      seed: 7,
      reasoning_effort: 'high',
      response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' }, strict: true } },
      stream: true,
      stream_options: { include_usage: true },
      user: 'u1',
      metadata: { k: 'v' },
      service_tier: 'auto',
      store: false,
      prompt_cache_key: 'pck',
      tool_choice: 'required',
    });
    expect(ir).toMatchObject({
      maxTokens: 20,
      temperature: 0.5,
      topP: 0.9,
      stop: ['END'],
      presencePenalty: 0.1,
      frequencyPenalty: 0.2,
      seed: 7,
      reasoning: { enabled: true, effort: 'high' },
      responseFormat: { type: 'json_schema', name: 'x', schema: { type: 'object' }, strict: true },
      stream: true,
      includeUsage: true,
      user: 'u1',
      toolChoice: { type: 'required' },
      extensions: { metadata: { k: 'v' }, serviceTier: 'auto', store: false, promptCacheKey: 'pck' },
    } satisfies Partial<IrRequest>);
  });

  it('reads reasoning_effort none as disabled reasoning and thinking budgets as a budget', () => {
    expect(chat.parseRequest({ ...base, reasoning_effort: 'none' }).reasoning).toEqual({ enabled: false, effort: 'none' });
    expect(chat.parseRequest({ ...base, thinking: { type: 'enabled', budget_tokens: 2048 } }).reasoning).toEqual({
      enabled: true,
      budgetTokens: 2048,
    });
  });

  it('accepts unknown fields and nulls that real clients send', () => {
    const ir = chat.parseRequest({ ...base, stop: null, tools: null, logit_bias: {}, foo: 1, temperature: null });
    expect(ir.stop).toBeUndefined();
    expect(ir.temperature).toBeUndefined();
  });

  it('rejects a missing model naming the field', () => {
    const err = invalid({ messages: base.messages });
    expect(err.code).toBe('invalid_request');
    expect(err.param).toBe('model');
  });

  it('rejects missing or empty messages naming the field', () => {
    expect(invalid({ model: 'm' }).param).toBe('messages');
    expect(invalid({ model: 'm', messages: [] }).param).toBe('messages');
  });

  it('rejects wrong types naming the path', () => {
    const err = invalid({ model: 'm', messages: [{ role: 'user', content: 5 }] });
    expect(err.code).toBe('invalid_request');
    expect(err.param).toBe('messages.0.content');
    expect(invalid({ ...base, temperature: 'hot' }).param).toBe('temperature');
    expect(invalid({ ...base, messages: [{ role: 'wizard', content: 'x' }] }).code).toBe('invalid_request');
  });

  it('rejects n greater than one', () => {
    const err = invalid({ ...base, n: 2 });
    expect(err.code).toBe('invalid_request');
    expect(err.param).toBe('n');
  });

  it('rejects a body that is not an object', () => {
    expect(invalid('nope').code).toBe('invalid_request');
    expect(invalid(null).code).toBe('invalid_request');
  });
});

const ir: IrRequest = {
  model: 'client-model',
  system: [{ text: 'be brief' }, { text: 'be kind', cache: { type: 'ephemeral' } }],
  messages: [
    { role: 'user', parts: [{ kind: 'text', text: 'weather in Paris?' }] },
    {
      role: 'assistant',
      parts: [
        { kind: 'thinking', text: 'use the tool', signature: 'sig' },
        { kind: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { kind: 'tool_call', id: 'toolu_2', name: 'apply_patch', arguments: '' },
      ],
    },
    {
      role: 'user',
      parts: [
        { kind: 'text', text: 'here you go' },
        { kind: 'tool_result', callId: 'toolu_1', content: [{ kind: 'text', text: 'sunny' }] },
        { kind: 'tool_result', callId: 'toolu_2', content: [{ kind: 'text', text: 'ok' }], isError: true },
        { kind: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'AAAA' }, detail: 'low' },
      ],
    },
  ],
  tools: [
    { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} }, cache: { type: 'ephemeral' } },
    { name: 'apply_patch', parameters: {}, custom: { format: { type: 'grammar' } } },
  ],
  toolChoice: { type: 'tool', name: 'get_weather' },
  parallelToolCalls: true,
  maxTokens: 100,
  topK: 40,
  stop: ['END'],
  reasoning: { enabled: true, budgetTokens: 4000 },
  responseFormat: { type: 'json_object' },
  stream: true,
  includeUsage: false,
  user: 'u1',
  extensions: { promptCacheKey: 'x' },
};

describe('openai-chat buildRequest', () => {
  it('builds the upstream chat body with system first and tool messages before user content', () => {
    expect(chat.buildRequest(ir, 'glm-4.6')).toEqual({
      model: 'glm-4.6',
      messages: [
        { role: 'system', content: 'be brief\n\nbe kind' },
        { role: 'user', content: 'weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          reasoning_content: 'use the tool',
          tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'toolu_2', type: 'function', function: { name: 'apply_patch', arguments: '{}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: 'sunny' },
        { role: 'tool', tool_call_id: 'toolu_2', content: 'ok' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'here you go' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA', detail: 'low' } },
          ],
        },
      ],
      tools: [
        { type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: { type: 'object', properties: {} } } },
        {
          type: 'function',
          function: {
            name: 'apply_patch',
            parameters: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] },
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: true,
      max_tokens: 100,
      stop: ['END'],
      response_format: { type: 'json_object' },
      reasoning_effort: 'medium',
      stream: true,
      stream_options: { include_usage: true },
      user: 'u1',
    });
  });

  it('passes efforts as given and omits reasoning when disabled', () => {
    const req = (reasoning: IrRequest['reasoning']) => chat.buildRequest({ ...ir, reasoning }, 'm');
    expect(req({ enabled: true, effort: 'xhigh' }).reasoning_effort).toBe('xhigh');
    expect(req({ enabled: true, effort: 'minimal' }).reasoning_effort).toBe('minimal');
    expect(req({ enabled: false, effort: 'none' })).not.toHaveProperty('reasoning_effort');
    expect(req(undefined)).not.toHaveProperty('reasoning_effort');
  });

  it('omits tool_choice and parallel_tool_calls without tools, and stream_options without streaming', () => {
    const body = chat.buildRequest({ ...ir, tools: [], stream: false }, 'm');
    expect(body).not.toHaveProperty('tools');
    expect(body).not.toHaveProperty('tool_choice');
    expect(body).not.toHaveProperty('parallel_tool_calls');
    expect(body).not.toHaveProperty('stream_options');
    expect(body.stream).toBe(false);
  });

  it('sends json_schema response formats in the nested Chat shape', () => {
    const body = chat.buildRequest(
      { ...ir, responseFormat: { type: 'json_schema', name: 'n', schema: { type: 'object' }, strict: true } },
      'm',
    );
    expect(body.response_format).toEqual({ type: 'json_schema', json_schema: { name: 'n', schema: { type: 'object' }, strict: true } });
  });

  it('round-trips a client request through parse and build', () => {
    const client = {
      model: 'm',
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello', reasoning_content: 'greet' },
        { role: 'user', content: 'bye' },
      ],
      temperature: 0.3,
      stream: false,
    };
    expect(chat.buildRequest(chat.parseRequest(client), 'm')).toEqual({
      model: 'm',
      messages: [
        { role: 'system', content: 'sys' },
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: 'hello', reasoning_content: 'greet' },
        { role: 'user', content: 'bye' },
      ],
      temperature: 0.3,
      stream: false,
    });
  });
});
