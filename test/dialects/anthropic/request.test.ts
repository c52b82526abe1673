import { describe, expect, it } from 'vitest';
import { anthropicDialect } from '../../../src/dialects/anthropic/index.js';

const parse = anthropicDialect.parseRequest;

/** A request shaped like Claude Code's (trimmed). */
const claudeCodeBody = {
  model: 'claude-sonnet-4-6',
  max_tokens: 32000,
  stream: true,
  system: [
    { type: 'text', text: "You are Claude Code, Anthropic's official CLI for Claude." },
    { type: 'text', text: 'Be concise.', cache_control: { type: 'ephemeral' } },
  ],
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'list files', cache_control: { type: 'ephemeral', ttl: '1h' } }] },
    {
      role: 'assistant',
      content: [
        { type: 'thinking', thinking: 'I should run ls.', signature: 'sig-1' },
        { type: 'redacted_thinking', data: 'opaque' },
        { type: 'text', text: 'Running ls.' },
        { type: 'tool_use', id: 'toolu_01', name: 'Bash', input: { command: 'ls' } },
      ],
    },
    {
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_01', content: 'a.txt\nb.txt', is_error: false },
        { type: 'text', text: 'thanks' },
      ],
    },
  ],
  tools: [
    { name: 'Bash', description: 'Run a command', input_schema: { type: 'object', properties: { command: { type: 'string' } } } },
    { type: 'custom', name: 'Read', input_schema: { type: 'object' }, cache_control: { type: 'ephemeral' } },
    { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
    { type: 'bash_20250124', name: 'bash' },
  ],
  tool_choice: { type: 'auto', disable_parallel_tool_use: true },
  thinking: { type: 'enabled', budget_tokens: 10000 },
  metadata: { user_id: 'user_abc' },
  temperature: 1,
  context_management: { edits: [] },
  service_tier: 'auto',
  mcp_servers: [],
};

describe('anthropic parseRequest', () => {
  it('reads a Claude Code request into the IR', () => {
    const ir = parse(claudeCodeBody);
    expect(ir.model).toBe('claude-sonnet-4-6');
    expect(ir.maxTokens).toBe(32000);
    expect(ir.stream).toBe(true);
    expect(ir.user).toBe('user_abc');
    expect(ir.temperature).toBe(1);
    expect(ir.system).toEqual([
      { text: "You are Claude Code, Anthropic's official CLI for Claude." },
      { text: 'Be concise.', cache: { type: 'ephemeral' } },
    ]);
    expect(ir.messages).toEqual([
      { role: 'user', parts: [{ kind: 'text', text: 'list files', cache: { type: 'ephemeral', ttl: '1h' } }] },
      {
        role: 'assistant',
        parts: [
          { kind: 'thinking', text: 'I should run ls.', signature: 'sig-1' },
          { kind: 'thinking', text: '', redacted: 'opaque' },
          { kind: 'text', text: 'Running ls.' },
          { kind: 'tool_call', id: 'toolu_01', name: 'Bash', arguments: '{"command":"ls"}' },
        ],
      },
      {
        role: 'user',
        parts: [
          { kind: 'tool_result', callId: 'toolu_01', name: 'Bash', content: [{ kind: 'text', text: 'a.txt\nb.txt' }] },
          { kind: 'text', text: 'thanks' },
        ],
      },
    ]);
    expect(ir.toolChoice).toEqual({ type: 'auto' });
    expect(ir.parallelToolCalls).toBe(false);
    expect(ir.reasoning).toEqual({ enabled: true, budgetTokens: 10000 });
    expect(ir.extensions).toEqual({});
  });

  it('keeps custom tools and drops server tools', () => {
    const ir = parse(claudeCodeBody);
    expect(ir.tools).toEqual([
      {
        name: 'Bash',
        description: 'Run a command',
        parameters: { type: 'object', properties: { command: { type: 'string' } } },
      },
      { name: 'Read', parameters: { type: 'object' }, cache: { type: 'ephemeral' } },
    ]);
  });

  it('accepts a body without max_tokens and leaves maxTokens unset', () => {
    const ir = parse({ model: 'm', messages: [{ role: 'user', content: 'hi' }] });
    expect(ir.maxTokens).toBeUndefined();
    expect(ir.stream).toBe(false);
    expect(ir.messages).toEqual([{ role: 'user', parts: [{ kind: 'text', text: 'hi' }] }]);
    expect(ir.system).toEqual([]);
    expect(ir.tools).toEqual([]);
  });

  it('reads a string system prompt as one block', () => {
    expect(parse({ model: 'm', system: 'be brief', messages: [] }).system).toEqual([{ text: 'be brief' }]);
  });

  it('reads images, documents and tool results with images', () => {
    const ir = parse({
      model: 'm',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBOR' } },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'image', source: { type: 'file', file_id: 'file_1' } },
            { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: 'JVBER' }, title: 'spec.pdf' },
            { type: 'document', source: { type: 'url', url: 'https://example.com/a.pdf' } },
            { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain words' } },
            { type: 'document', source: { type: 'content', content: [{ type: 'text', text: 'chunk' }] } },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_9',
              is_error: true,
              content: [
                { type: 'text', text: 'failed' },
                { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j' } },
                { type: 'search_result', source: 'x', title: 't', content: [] },
              ],
            },
          ],
        },
      ],
    });
    expect(ir.messages[0]?.parts).toEqual([
      { kind: 'image', source: { type: 'base64', mediaType: 'image/png', data: 'iVBOR' } },
      { kind: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
      { kind: 'file', source: { type: 'base64', mediaType: 'application/pdf', data: 'JVBER' }, filename: 'spec.pdf' },
      { kind: 'file', source: { type: 'url', url: 'https://example.com/a.pdf' } },
      { kind: 'text', text: 'plain words' },
      { kind: 'text', text: 'chunk' },
      {
        kind: 'tool_result',
        callId: 'toolu_9',
        isError: true,
        content: [
          { kind: 'text', text: 'failed' },
          { kind: 'image', source: { type: 'base64', mediaType: 'image/jpeg', data: '/9j' } },
        ],
      },
    ]);
  });

  it('drops server tool blocks and unknown block types', () => {
    const ir = parse({
      model: 'm',
      messages: [
        {
          role: 'assistant',
          content: [
            { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: { query: 'x' } },
            { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
            { type: 'text', text: 'found it' },
          ],
        },
      ],
    });
    expect(ir.messages[0]?.parts).toEqual([{ kind: 'text', text: 'found it' }]);
  });

  it('treats an empty thinking signature as no signature', () => {
    const ir = parse({ model: 'm', messages: [{ role: 'assistant', content: [{ type: 'thinking', thinking: 'hm', signature: '' }] }] });
    expect(ir.messages[0]?.parts).toEqual([{ kind: 'thinking', text: 'hm' }]);
  });

  it('maps tool_choice types', () => {
    const choice = (tc: unknown) => parse({ model: 'm', messages: [], tool_choice: tc }).toolChoice;
    expect(choice({ type: 'any' })).toEqual({ type: 'required' });
    expect(choice({ type: 'none' })).toEqual({ type: 'none' });
    expect(choice({ type: 'tool', name: 'Bash' })).toEqual({ type: 'tool', name: 'Bash' });
  });

  it('maps thinking modes and output_config.effort', () => {
    const reasoning = (extra: Record<string, unknown>) => parse({ model: 'm', messages: [], ...extra }).reasoning;
    expect(reasoning({ thinking: { type: 'disabled' } })).toEqual({ enabled: false });
    expect(reasoning({ thinking: { type: 'adaptive' } })).toEqual({ enabled: true });
    expect(reasoning({ thinking: { type: 'adaptive' }, output_config: { effort: 'high' } })).toEqual({ enabled: true, effort: 'high' });
    expect(reasoning({ output_config: { effort: 'low' } })).toEqual({ enabled: true, effort: 'low' });
    expect(reasoning({ output_config: { effort: 'max' } })).toEqual({ enabled: true, effort: 'xhigh' });
    expect(reasoning({})).toBeUndefined();
  });

  it('reads sampling parameters, stop sequences and structured output', () => {
    const ir = parse({
      model: 'm',
      messages: [],
      top_p: 0.9,
      top_k: 40,
      stop_sequences: ['END'],
      output_config: { format: { type: 'json_schema', schema: { type: 'object' } } },
    });
    expect(ir.topP).toBe(0.9);
    expect(ir.topK).toBe(40);
    expect(ir.stop).toEqual(['END']);
    expect(ir.responseFormat).toEqual({ type: 'json_schema', name: 'response', schema: { type: 'object' } });
  });
});

describe('anthropic parseRequest: mid-conversation system messages (Claude Code to non-Claude models)', () => {
  it('hoists system-role messages into the IR system, after the top-level system, and out of the messages', () => {
    const ir = anthropicDialect.parseRequest({
      model: 'gpt-5.2',
      system: 'Top.',
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'system', content: [{ type: 'text', text: '# Environment' }] },
      ],
    });
    expect(ir.system.map((b) => b.text)).toEqual(['Top.', '# Environment']);
    expect(ir.messages).toHaveLength(1);
    expect(ir.messages[0]!.role).toBe('user');
  });
});
