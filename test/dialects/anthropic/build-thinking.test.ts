import { describe, expect, it } from 'vitest';
import { anthropicDialect } from '../../../src/dialects/anthropic/index.js';
import type { IrMessage, IrRequest } from '../../../src/dialects/ir.js';

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

/** A tool loop whose last assistant turn carries the given leading parts. */
function toolLoop(lead: IrMessage['parts']): IrMessage[] {
  return [
    { role: 'user', parts: [{ kind: 'text', text: 'ls' }] },
    { role: 'assistant', parts: [...lead, { kind: 'tool_call', id: 'toolu_1', name: 'Bash', arguments: '{"command":"ls"}' }] },
    { role: 'user', parts: [{ kind: 'tool_result', callId: 'toolu_1', content: [{ kind: 'text', text: 'a.txt' }] }] },
  ];
}

describe('anthropic buildRequest thinking', () => {
  it('sends the explicit budget and drops temperature, top_k and a low top_p', () => {
    const body = build({ maxTokens: 20000, reasoning: { enabled: true, budgetTokens: 8000 }, temperature: 0.2, topK: 5, topP: 0.5 });
    expect(body.thinking).toEqual({ type: 'enabled', budget_tokens: 8000 });
    expect(body.max_tokens).toBe(20000);
    for (const key of ['temperature', 'top_k', 'top_p']) expect(body).not.toHaveProperty(key);
  });

  it('keeps top_p from 0.95 up', () => {
    expect(build({ reasoning: { enabled: true }, topP: 0.95 }).top_p).toBe(0.95);
  });

  it('derives the budget from effort, or 12288 when neither is given', () => {
    const budget = (reasoning: IrRequest['reasoning']) => build({ maxTokens: 64000, reasoning }).thinking;
    expect(budget({ enabled: true, effort: 'low' })).toEqual({ type: 'enabled', budget_tokens: 4096 });
    expect(budget({ enabled: true, effort: 'minimal' })).toEqual({ type: 'enabled', budget_tokens: 4096 });
    expect(budget({ enabled: true, effort: 'medium' })).toEqual({ type: 'enabled', budget_tokens: 12288 });
    expect(budget({ enabled: true, effort: 'high' })).toEqual({ type: 'enabled', budget_tokens: 24576 });
    expect(budget({ enabled: true, effort: 'xhigh' })).toEqual({ type: 'enabled', budget_tokens: 40960 });
    expect(budget({ enabled: true })).toEqual({ type: 'enabled', budget_tokens: 12288 });
    expect(budget({ enabled: true, effort: 'none' })).toBeUndefined();
  });

  it('raises a budget below the 1024 minimum', () => {
    expect(build({ reasoning: { enabled: true, budgetTokens: 100 } }).thinking).toEqual({ type: 'enabled', budget_tokens: 1024 });
  });

  it('lowers the budget under the client max_tokens, and turns thinking off when it cannot fit', () => {
    const shrunk = build({ maxTokens: 4000, reasoning: { enabled: true, effort: 'high' } });
    expect(shrunk.max_tokens).toBe(4000);
    expect(shrunk.thinking).toEqual({ type: 'enabled', budget_tokens: 3999 });
    const off = build({ maxTokens: 1025, reasoning: { enabled: true }, temperature: 0.5 });
    expect(off).not.toHaveProperty('thinking');
    expect(off.temperature).toBe(0.5);
    expect(build({ maxTokens: 1026, reasoning: { enabled: true } }).thinking).toEqual({ type: 'enabled', budget_tokens: 1025 });
  });

  it('lowers an effort budget under the default max_tokens', () => {
    expect(build({ reasoning: { enabled: true, effort: 'xhigh' } }).thinking).toEqual({ type: 'enabled', budget_tokens: 31999 });
  });

  it('sends disabled thinking when the client turned it off', () => {
    expect(build({ reasoning: { enabled: false } }).thinking).toEqual({ type: 'disabled' });
  });

  it('turns thinking off when the current tool loop has no signed thinking', () => {
    const body = build({ reasoning: { enabled: true }, messages: toolLoop([{ kind: 'thinking', text: 'unsigned' }]) });
    expect(body).not.toHaveProperty('thinking');
  });

  it('keeps thinking on when the current tool loop opens with signed or redacted thinking', () => {
    const signed = build({ reasoning: { enabled: true }, messages: toolLoop([{ kind: 'thinking', text: 't', signature: 's' }]) });
    expect(signed.thinking).toEqual({ type: 'enabled', budget_tokens: 12288 });
    const redacted = build({ reasoning: { enabled: true }, messages: toolLoop([{ kind: 'thinking', text: '', redacted: 'r' }]) });
    expect(redacted.thinking).toEqual({ type: 'enabled', budget_tokens: 12288 });
  });

  it('turns thinking off when tool use is forced', () => {
    const tools = [{ name: 'f', parameters: { type: 'object' } }];
    expect(build({ tools, toolChoice: { type: 'required' }, reasoning: { enabled: true } })).not.toHaveProperty('thinking');
    expect(build({ tools, toolChoice: { type: 'tool', name: 'f' }, reasoning: { enabled: true } })).not.toHaveProperty('thinking');
  });
});

describe('anthropic buildRequest thinking on models that think adaptively', () => {
  const on = (model: string, extra: Partial<IrRequest> = {}) => anthropicDialect.buildRequest(request(extra), model);

  it('asks Claude 4.6 for adaptive thinking with the effort, and no budget', () => {
    const body = on('claude-opus-4-6', { maxTokens: 8000, reasoning: { enabled: true, effort: 'high' }, temperature: 0.3 });
    expect(body.thinking).toEqual({ type: 'adaptive' });
    expect(body.output_config).toEqual({ effort: 'high' });
    expect(body.max_tokens).toBe(8000);
    expect(body).not.toHaveProperty('temperature');
  });

  it('reads a client budget as an effort, and sends no effort when the client gave neither', () => {
    expect(on('claude-sonnet-4-6', { reasoning: { enabled: true, budgetTokens: 2000 } }).output_config).toEqual({ effort: 'low' });
    const plain = on('claude-sonnet-4-6', { reasoning: { enabled: true } });
    expect(plain.thinking).toEqual({ type: 'adaptive' });
    expect(plain).not.toHaveProperty('output_config');
  });

  it('tops out at max on 4.6 and at xhigh from 4.7 on', () => {
    expect(on('claude-opus-4-6', { reasoning: { enabled: true, effort: 'xhigh' } }).output_config).toEqual({ effort: 'max' });
    expect(on('claude-opus-4-7', { reasoning: { enabled: true, effort: 'xhigh' } }).output_config).toEqual({ effort: 'xhigh' });
  });

  it('turns thinking off with disabled on 4.6, and by sending no thinking field where disabled is refused', () => {
    expect(on('claude-opus-4-6', { reasoning: { enabled: false } }).thinking).toEqual({ type: 'disabled' });
    const body = on('claude-opus-4-7', { reasoning: { enabled: false }, temperature: 0.3 });
    expect(body).not.toHaveProperty('thinking');
    expect(body.temperature).toBe(0.3);
  });

  it('keeps the rules that hold for any thinking: none with a forced tool or an unsigned tool loop', () => {
    const forced = on('claude-opus-4-7', { reasoning: { enabled: true, effort: 'high' }, tools: [{ name: 'Bash', parameters: {} }], toolChoice: { type: 'required' } });
    expect(forced).not.toHaveProperty('thinking');
    expect(on('claude-opus-4-7', { reasoning: { enabled: true }, messages: toolLoop([]) })).not.toHaveProperty('thinking');
  });

  it('still sends budgets to models before 4.6', () => {
    expect(on('claude-haiku-4-5-20251001', { reasoning: { enabled: true, effort: 'high' } }).thinking).toEqual({ type: 'enabled', budget_tokens: 24576 });
  });
});
