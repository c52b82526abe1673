import type { ReasoningLevel } from '../../config/schema.js';
import type { DialectId } from '../../dialects/ir.js';
import type { WireObject } from '../../dialects/dialect.js';
import { adaptiveEffort, thinkingStyle } from '../../dialects/anthropic/models.js';
import { isRecord } from '../../dialects/shared/json.js';

/** Anthropic thinking budgets per forced level (one table for every route). */
export const THINKING_BUDGET: Record<Exclude<ReasoningLevel, 'auto' | 'off'>, number> = {
  low: 4096,
  medium: 12288,
  high: 24576,
  xhigh: 40960,
};

/** Output room kept above a thinking budget so the answer itself is not starved. */
const ANSWER_ROOM = 4096;

/**
 * Applies a model's reasoning level in the upstream dialect: `auto` leaves the client's
 * fields alone, `off` removes them, a level forces them.
 */
export function applyReasoning(body: WireObject, dialect: DialectId, level: ReasoningLevel): WireObject {
  if (level === 'auto') return body;
  switch (dialect) {
    case 'anthropic':
      return anthropicThinking(body, level);
    case 'openai-responses': {
      const { reasoning: _drop, ...rest } = body;
      return level === 'off' ? rest : { ...rest, reasoning: { effort: level, summary: 'auto' } };
    }
    case 'google':
      return googleThinking(body, level);
    case 'openai-chat': {
      const { reasoning_effort: _drop, ...rest } = body;
      // Factory's chat upstreams (Fireworks) know low/medium/high only.
      return level === 'off' ? rest : { ...rest, reasoning_effort: level === 'xhigh' ? 'high' : level };
    }
  }
}

function anthropicThinking(body: WireObject, level: Exclude<ReasoningLevel, 'auto'>): WireObject {
  const { thinking: _drop, ...rest } = body;
  if (level === 'off') return rest;
  // Anthropic refuses thinking together with a forced tool choice: the client's choice wins.
  if (isRecord(body.tool_choice) && (body.tool_choice.type === 'any' || body.tool_choice.type === 'tool')) return body;
  // Anthropic rejects temperature/top_k with thinking.
  const { temperature: _t, top_k: _k, ...out } = rest;
  const style = thinkingStyle(typeof body.model === 'string' ? body.model : '');
  if (style !== 'budget') {
    // Claude 4.6 and later think adaptively; the level is the effort.
    const outputConfig = isRecord(body.output_config) ? body.output_config : {};
    return { ...out, thinking: { type: 'adaptive' }, output_config: { ...outputConfig, effort: adaptiveEffort(level, style) } };
  }
  const budget = THINKING_BUDGET[level];
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : 0;
  // Anthropic requires budget_tokens < max_tokens.
  return {
    ...out,
    max_tokens: Math.max(maxTokens, budget + ANSWER_ROOM),
    thinking: { type: 'enabled', budget_tokens: budget },
  };
}

const GOOGLE_LEVEL = { low: 'LOW', medium: 'MEDIUM', high: 'HIGH', xhigh: 'HIGH' } as const;

function googleThinking(body: WireObject, level: Exclude<ReasoningLevel, 'auto'>): WireObject {
  const generationConfig = isRecord(body.generationConfig) ? body.generationConfig : {};
  const { thinkingConfig: _drop, ...gen } = generationConfig;
  if (level === 'off') return { ...body, generationConfig: gen };
  // A forced level replaces the client's thinkingConfig whole: Gemini rejects a budget and a level together.
  return { ...body, generationConfig: { ...gen, thinkingConfig: { includeThoughts: true, thinkingLevel: GOOGLE_LEVEL[level] } } };
}

/** Whether a level turns Anthropic's interleaved-thinking beta on (true), off (false) or leaves it (undefined). */
export function interleavedThinkingBeta(level: ReasoningLevel): boolean | undefined {
  if (level === 'auto') return undefined;
  return level !== 'off';
}
