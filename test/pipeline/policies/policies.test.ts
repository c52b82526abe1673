import { describe, expect, it } from 'vitest';
import { fitThinkingToModel } from '../../../src/dialects/anthropic/policies.js';
import { applyFastMode } from '../../../src/pipeline/policies/fast-mode.js';
import { applyReasoning } from '../../../src/pipeline/policies/reasoning.js';
import { injectSystemPrompt } from '../../../src/pipeline/policies/system-prompt.js';
import { finalizeUpstreamBody } from '../../../src/pipeline/policies/upstream-body.js';
import { dropForeignThinking } from '../../../src/dialects/anthropic/policies.js';

const P = 'You are Droid.\n\n';

describe('injectSystemPrompt', () => {
  const cases: Array<[string, Parameters<typeof injectSystemPrompt>[1], Record<string, unknown>, Record<string, unknown>]> = [
    ['keeps an Anthropic string system after the prompt', 'anthropic', { system: 'Be terse.' },
      { system: [{ type: 'text', text: P }, { type: 'text', text: 'Be terse.' }] }],
    ['prepends to an Anthropic system array', 'anthropic', { system: [{ type: 'text', text: 'A', cache_control: { type: 'ephemeral' } }] },
      { system: [{ type: 'text', text: P }, { type: 'text', text: 'A', cache_control: { type: 'ephemeral' } }] }],
    ['adds an Anthropic system when none', 'anthropic', {}, { system: [{ type: 'text', text: P }] }],
    ['prefixes Responses instructions', 'openai-responses', { instructions: 'Own.' }, { instructions: P + 'Own.' }],
    ['sets Responses instructions when none', 'openai-responses', {}, { instructions: P }],
    ['prefixes a chat system message string', 'openai-chat', { messages: [{ role: 'system', content: 'S' }, { role: 'user', content: 'u' }] },
      { messages: [{ role: 'system', content: P + 'S' }, { role: 'user', content: 'u' }] }],
    ['keeps array content of a chat system message', 'openai-chat', { messages: [{ role: 'system', content: [{ type: 'text', text: 'S' }] }] },
      { messages: [{ role: 'system', content: [{ type: 'text', text: P }, { type: 'text', text: 'S' }] }] }],
    ['adds a chat system message when none', 'openai-chat', { messages: [{ role: 'user', content: 'u' }] },
      { messages: [{ role: 'system', content: P }, { role: 'user', content: 'u' }] }],
    ['prepends a Gemini systemInstruction part, snake_case folded in', 'google', { system_instruction: { parts: [{ text: 'G' }] } },
      { systemInstruction: { parts: [{ text: P }, { text: 'G' }] } }],
  ];
  for (const [name, dialect, body, want] of cases) {
    it(name, () => {
      const input = structuredClone(body);
      expect(injectSystemPrompt(body, dialect, P)).toEqual(want);
      expect(body).toEqual(input);
    });
  }

  it('leaves the body alone when the prompt is empty', () => {
    const body = { system: 'x' };
    expect(injectSystemPrompt(body, 'anthropic', '')).toBe(body);
  });
});

describe('applyReasoning', () => {
  it('auto leaves the client fields alone', () => {
    const body = { thinking: { type: 'enabled', budget_tokens: 2000 }, max_tokens: 5000 };
    expect(applyReasoning(body, 'anthropic', 'auto')).toBe(body);
  });

  it('off removes thinking, reasoning, thinkingConfig and reasoning_effort', () => {
    expect(applyReasoning({ thinking: {}, max_tokens: 1 }, 'anthropic', 'off')).toEqual({ max_tokens: 1 });
    expect(applyReasoning({ reasoning: { effort: 'high' } }, 'openai-responses', 'off')).toEqual({});
    expect(applyReasoning({ generationConfig: { thinkingConfig: {}, topP: 1 } }, 'google', 'off')).toEqual({ generationConfig: { topP: 1 } });
    expect(applyReasoning({ reasoning_effort: 'low' }, 'openai-chat', 'off')).toEqual({});
  });

  it('forces Anthropic budgets 4096/12288/24576/40960 and keeps max_tokens above them', () => {
    const budgets = { low: 4096, medium: 12288, high: 24576, xhigh: 40960 } as const;
    for (const [level, budget] of Object.entries(budgets)) {
      const out = applyReasoning({ max_tokens: 1000, temperature: 0.2, top_k: 5 }, 'anthropic', level as keyof typeof budgets);
      expect(out.thinking).toEqual({ type: 'enabled', budget_tokens: budget });
      expect(out.max_tokens as number).toBeGreaterThan(budget);
      expect(out).not.toHaveProperty('temperature');
      expect(out).not.toHaveProperty('top_k');
    }
  });

  it('forces adaptive thinking with the level as effort on Claude 4.6 and later, keeping max_tokens and output_config', () => {
    const out = applyReasoning({ model: 'claude-opus-4-6', max_tokens: 1000, temperature: 0.2, output_config: { format: { type: 'json_schema' } } }, 'anthropic', 'xhigh');
    expect(out).toEqual({ model: 'claude-opus-4-6', max_tokens: 1000, thinking: { type: 'adaptive' }, output_config: { format: { type: 'json_schema' }, effort: 'max' } });
    expect(applyReasoning({ model: 'claude-opus-4-7', max_tokens: 1000 }, 'anthropic', 'low')).toMatchObject({ thinking: { type: 'adaptive' }, output_config: { effort: 'low' } });
  });

  it('does not force Anthropic thinking when the client forces a tool', () => {
    const body = { max_tokens: 100, tool_choice: { type: 'any' } };
    expect(applyReasoning(body, 'anthropic', 'high')).toBe(body);
  });

  it('writes Responses reasoning, Gemini thinkingLevel and chat reasoning_effort', () => {
    expect(applyReasoning({}, 'openai-responses', 'medium')).toEqual({ reasoning: { effort: 'medium', summary: 'auto' } });
    expect(applyReasoning({ generationConfig: { thinkingConfig: { thinkingBudget: 99 } } }, 'google', 'xhigh')).toEqual({
      generationConfig: { thinkingConfig: { includeThoughts: true, thinkingLevel: 'HIGH' } },
    });
    expect(applyReasoning({}, 'openai-chat', 'low')).toEqual({ reasoning_effort: 'low' });
  });
});

describe('applyFastMode and finalizeUpstreamBody', () => {
  it('asks Responses for the priority tier unless the client chose one', () => {
    expect(applyFastMode({}, 'openai-responses', true)).toEqual({ service_tier: 'priority' });
    expect(applyFastMode({ service_tier: 'flex' }, 'openai-responses', true)).toEqual({ service_tier: 'flex' });
    expect(applyFastMode({}, 'openai-responses', false)).toEqual({});
  });

  it('sets the upstream model, a default Anthropic max_tokens, and drops the Gemini stream flag', () => {
    expect(finalizeUpstreamBody({ model: 'alias' }, 'anthropic', 'real')).toEqual({ model: 'real', max_tokens: 32000 });
    expect(finalizeUpstreamBody({ model: 'm', max_tokens: 10 }, 'anthropic', 'm').max_tokens).toBe(10);
    expect(finalizeUpstreamBody({ stream: true, contents: [] }, 'google', 'g')).toEqual({ model: 'g', contents: [] });
  });

  it('drops temperature and top_p for OpenAI reasoning models only', () => {
    expect(finalizeUpstreamBody({ temperature: 0.2, top_p: 0.9 }, 'openai-responses', 'gpt-5.2')).toEqual({ model: 'gpt-5.2' });
    expect(finalizeUpstreamBody({ temperature: 0.2 }, 'openai-responses', 'gpt-4.1')).toEqual({ model: 'gpt-4.1', temperature: 0.2 });
  });
});

describe('dropForeignThinking', () => {
  it('drops unsigned and carried thinking from assistant turns, and leaves Anthropic-signed thinking', () => {
    const body = {
      messages: [
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'a', signature: '' }, { type: 'text', text: 'x' }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'b', signature: 'd2a.rs.rs_1.enc' }, { type: 'tool_use', id: 't', name: 'n', input: {} }] },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'c', signature: 'EqAnthropicSig' }] },
      ],
    };
    expect(dropForeignThinking(body).messages).toEqual([
      { role: 'assistant', content: [{ type: 'text', text: 'x' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 't', name: 'n', input: {} }] },
      { role: 'assistant', content: [{ type: 'thinking', thinking: 'c', signature: 'EqAnthropicSig' }] },
    ]);
  });

  it('returns the same body when there is nothing to drop', () => {
    const body = { messages: [{ role: 'user', content: 'hi' }] };
    expect(dropForeignThinking(body)).toBe(body);
  });
});

describe('fitThinkingToModel', () => {
  it('turns a thinking budget into adaptive thinking with an effort on models that refuse budgets', () => {
    expect(fitThinkingToModel({ model: 'claude-opus-4-7', thinking: { type: 'enabled', budget_tokens: 30000 } })).toEqual({
      model: 'claude-opus-4-7',
      thinking: { type: 'adaptive' },
      output_config: { effort: 'high' },
    });
  });

  it("keeps the client's own effort, and leaves out disabled", () => {
    const body = { model: 'claude-mythos-5', thinking: { type: 'enabled', budget_tokens: 2000 }, output_config: { effort: 'max' } };
    expect(fitThinkingToModel(body)).toEqual({ model: 'claude-mythos-5', thinking: { type: 'adaptive' }, output_config: { effort: 'max' } });
    expect(fitThinkingToModel({ model: 'claude-opus-4-8', thinking: { type: 'disabled' }, max_tokens: 5 })).toEqual({ model: 'claude-opus-4-8', max_tokens: 5 });
  });

  it('turns adaptive thinking into a budget for the effort on models before 4.6, under max_tokens', () => {
    const high = { model: 'claude-haiku-4-5-20251001', max_tokens: 32000, thinking: { type: 'adaptive' }, output_config: { effort: 'high' } };
    expect(fitThinkingToModel(high)).toEqual({ model: 'claude-haiku-4-5-20251001', max_tokens: 32000, thinking: { type: 'enabled', budget_tokens: 24576 } });
    const withFormat = { ...high, output_config: { effort: 'low', format: { type: 'json_schema' } } };
    expect(fitThinkingToModel(withFormat)).toMatchObject({ thinking: { budget_tokens: 4096 }, output_config: { format: { type: 'json_schema' } } });
    expect(fitThinkingToModel({ model: 'claude-haiku-4-5-20251001', max_tokens: 2000, thinking: { type: 'adaptive' } }).thinking).toEqual({
      type: 'enabled',
      budget_tokens: 1999,
    });
    expect(fitThinkingToModel({ model: 'claude-haiku-4-5-20251001', max_tokens: 1000, thinking: { type: 'adaptive' } })).toEqual({
      model: 'claude-haiku-4-5-20251001',
      max_tokens: 1000,
    });
  });

  it('leaves bodies that already fit the model, and models that are not Claude, as they are', () => {
    for (const body of [
      { model: 'claude-opus-4-7', thinking: { type: 'adaptive' } },
      { model: 'claude-opus-4-6', thinking: { type: 'enabled', budget_tokens: 2000 } },
      { model: 'claude-opus-4-6', thinking: { type: 'adaptive' } },
      { model: 'claude-haiku-4-5-20251001', thinking: { type: 'disabled' } },
      { model: 'minimax-m2.5', thinking: { type: 'adaptive' } },
    ]) {
      expect(fitThinkingToModel(body)).toBe(body);
    }
  });
});
