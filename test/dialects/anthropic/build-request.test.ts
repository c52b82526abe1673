import { describe, expect, it } from 'vitest';
import { anthropicDialect } from '../../../src/dialects/anthropic/index.js';
import type { IrRequest } from '../../../src/dialects/ir.js';

function request(extra: Partial<IrRequest> = {}): IrRequest {
  return {
    model: 'client-model',
    system: [],
    messages: [{ role: 'user', parts: [{ kind: 'text', text: 'hi' }] }],
    tools: [],
    stream: true,
    extensions: {},
    ...extra,
  };
}

const build = (extra: Partial<IrRequest> = {}) => anthropicDialect.buildRequest(request(extra), 'claude-opus-4-1');

describe('anthropic buildRequest', () => {
  it('builds the minimal body with the upstream model and a default max_tokens', () => {
    expect(build()).toEqual({
      model: 'claude-opus-4-1',
      max_tokens: 32000,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      stream: true,
    });
  });

  it('writes system blocks with cache_control and omits empty ones', () => {
    const body = build({ system: [{ text: 'a' }, { text: '' }, { text: 'b', cache: { type: 'ephemeral', ttl: '1h' } }] });
    expect(body.system).toEqual([
      { type: 'text', text: 'a' },
      { type: 'text', text: 'b', cache_control: { type: 'ephemeral', ttl: '1h' } },
    ]);
    expect(build({ system: [] })).not.toHaveProperty('system');
    expect(build({ system: [{ text: ' ' }] })).not.toHaveProperty('system');
  });

  it('merges same-role turns, puts tool results first and drops blank text and empty turns', () => {
    const body = build({
      messages: [
        { role: 'user', parts: [{ kind: 'text', text: 'hello' }] },
        { role: 'assistant', parts: [{ kind: 'text', text: '' }] },
        { role: 'user', parts: [{ kind: 'text', text: 'again' }] },
        { role: 'assistant', parts: [{ kind: 'text', text: '  ' }, { kind: 'tool_call', id: 'call:1', name: 'f', arguments: '{"a":1}' }] },
        { role: 'user', parts: [{ kind: 'text', text: 'see result' }, { kind: 'tool_result', callId: 'call:1', content: [], isError: true }] },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'hello' }, { type: 'text', text: 'again' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'f', input: { a: 1 } }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '', is_error: true },
          { type: 'text', text: 'see result' },
        ],
      },
    ]);
  });

  it('sends signed and redacted thinking first and drops unsigned thinking', () => {
    const body = build({
      messages: [
        { role: 'user', parts: [{ kind: 'text', text: 'q' }] },
        {
          role: 'assistant',
          parts: [
            { kind: 'text', text: 'answer' },
            { kind: 'thinking', text: 'from gpt' },
            { kind: 'thinking', text: 'mine', signature: 'sig' },
            { kind: 'thinking', text: '', redacted: 'blob' },
          ],
        },
      ],
    });
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'mine', signature: 'sig' },
          { type: 'redacted_thinking', data: 'blob' },
          { type: 'text', text: 'answer' },
        ],
      },
    ]);
  });

  it('converts images and files to image and document blocks', () => {
    const body = build({
      messages: [
        {
          role: 'user',
          parts: [
            { kind: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
            { kind: 'image', source: { type: 'url', url: 'https://x/cat.jpg' } },
            { kind: 'file', source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBER' }, filename: 'a.pdf' },
            { kind: 'file', source: { type: 'url', url: 'https://x/a.pdf' } },
            { kind: 'file', source: { type: 'base64', mediaType: 'text/plain', data: Buffer.from('hello').toString('base64') } },
            { kind: 'file', source: { type: 'base64', mediaType: 'image/webp', data: 'UklG' } },
            { kind: 'file', source: { type: 'base64', mediaType: 'application/msword', data: 'x' } },
          ],
        },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
          { type: 'image', source: { type: 'url', url: 'https://x/cat.jpg' } },
          { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBER' }, title: 'a.pdf' },
          { type: 'document', source: { type: 'url', url: 'https://x/a.pdf' } },
          { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'hello' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/webp', data: 'UklG' } },
        ],
      },
    ]);
  });

  it('writes tool results with text and image content', () => {
    const body = build({
      messages: [
        {
          role: 'user',
          parts: [
            {
              kind: 'tool_result',
              callId: 'toolu_1',
              content: [
                { kind: 'text', text: 'out' },
                { kind: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
              ],
            },
          ],
        },
      ],
    });
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          {
            type: 'tool_result',
            tool_use_id: 'toolu_1',
            content: [
              { type: 'text', text: 'out' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
            ],
          },
        ],
      },
    ]);
  });

  it('writes tools with an object input_schema and freeform tools with one input string', () => {
    const body = build({
      tools: [
        { name: 'f', description: 'does f', parameters: { type: 'object', properties: { a: { type: 'number' } } }, cache: { type: 'ephemeral' } },
        { name: 'g', parameters: {} },
        { name: 'h', parameters: { properties: { b: { type: 'string' } } } },
        { name: 'apply_patch', parameters: {}, custom: { format: { type: 'grammar' } } },
      ],
    });
    expect(body.tools).toEqual([
      {
        name: 'f',
        description: 'does f',
        input_schema: { type: 'object', properties: { a: { type: 'number' } } },
        cache_control: { type: 'ephemeral' },
      },
      { name: 'g', input_schema: { type: 'object', properties: {} } },
      { name: 'h', input_schema: { type: 'object', properties: { b: { type: 'string' } } } },
      {
        name: 'apply_patch',
        input_schema: { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] },
      },
    ]);
  });

  it('maps tool_choice and parallel tool calls', () => {
    const tools = [{ name: 'f', parameters: { type: 'object' } }];
    expect(build({ tools, toolChoice: { type: 'auto' } }).tool_choice).toEqual({ type: 'auto' });
    expect(build({ tools, toolChoice: { type: 'required' } }).tool_choice).toEqual({ type: 'any' });
    expect(build({ tools, toolChoice: { type: 'none' } }).tool_choice).toEqual({ type: 'none' });
    expect(build({ tools, toolChoice: { type: 'tool', name: 'f' } }).tool_choice).toEqual({ type: 'tool', name: 'f' });
    expect(build({ tools, parallelToolCalls: false }).tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
    expect(build({ tools, toolChoice: { type: 'required' }, parallelToolCalls: false }).tool_choice).toEqual({
      type: 'any',
      disable_parallel_tool_use: true,
    });
    expect(build({ tools })).not.toHaveProperty('tool_choice');
    expect(build({ toolChoice: { type: 'auto' } })).not.toHaveProperty('tool_choice');
  });

  it('copies sampling, stop sequences and user, and drops what Anthropic lacks', () => {
    const body = build({
      temperature: 0.3,
      topP: 0.8,
      topK: 20,
      stop: ['END'],
      user: 'u1',
      seed: 7,
      presencePenalty: 1,
      frequencyPenalty: 1,
      responseFormat: { type: 'json_object' },
      stream: false,
    });
    expect(body).toMatchObject({ temperature: 0.3, top_p: 0.8, top_k: 20, stop_sequences: ['END'], metadata: { user_id: 'u1' }, stream: false });
    for (const key of ['seed', 'presence_penalty', 'frequency_penalty', 'response_format']) expect(body).not.toHaveProperty(key);
  });

  it('round-trips a Claude Code request through parseRequest and buildRequest', () => {
    const body = {
      model: 'claude-haiku-4-5-20251001',
      max_tokens: 16000,
      system: [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'ls' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', thinking: 't', signature: 's' },
            { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
          ],
        },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: [{ type: 'text', text: 'a' }] }] },
      ],
      tools: [{ name: 'Bash', input_schema: { type: 'object', properties: {} } }],
      thinking: { type: 'enabled', budget_tokens: 4000 },
      stream: true,
    };
    const out = anthropicDialect.buildRequest(anthropicDialect.parseRequest(body), 'claude-haiku-4-5-20251001');
    expect(out).toEqual(body);
  });
});
