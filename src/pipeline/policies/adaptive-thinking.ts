import { budgetForEffort, DEFAULT_THINKING_BUDGET, effortFromAnthropic, MIN_THINKING_BUDGET } from '../../dialects/anthropic/maps.js';
import { adaptiveEffort, effortForBudget, thinkingStyle } from '../../dialects/anthropic/models.js';
import type { WireObject } from '../../dialects/dialect.js';
import { isRecord } from '../../dialects/shared/json.js';

/**
 * Thinking in the form the Claude model takes (models.ts), whatever the client sent; each
 * mismatch is a 400 from Anthropic:
 * - 4.7 and later refuse budgets and `disabled`: a budget becomes `adaptive` with an effort
 *   (unless the client set one), and `disabled` is left out;
 * - up to 4.5 there is no `adaptive`: it becomes a budget for the client's effort, under
 *   its max_tokens (no thinking when even the smallest budget does not fit).
 * Anything else passes unchanged, and so do models that are not Claude's.
 */
export function fitThinkingToModel(body: WireObject): WireObject {
  const model = typeof body.model === 'string' ? body.model : '';
  if (!isRecord(body.thinking) || !model.startsWith('claude-')) return body;
  const style = thinkingStyle(model);
  if (style === 'adaptive-only') return toAdaptive(body, body.thinking);
  if (style === 'budget' && body.thinking.type === 'adaptive') return toBudget(body);
  return body;
}

function toAdaptive(body: WireObject, thinking: Record<string, unknown>): WireObject {
  const { thinking: _drop, ...rest } = body;
  if (thinking.type === 'disabled') return rest;
  if (thinking.type !== 'enabled') return body;
  const outputConfig = isRecord(body.output_config) ? body.output_config : {};
  const budget = typeof thinking.budget_tokens === 'number' ? thinking.budget_tokens : undefined;
  const effort = outputConfig.effort ?? (budget === undefined ? undefined : adaptiveEffort(effortForBudget(budget), 'adaptive-only'));
  return { ...rest, thinking: { type: 'adaptive' }, ...(effort !== undefined && { output_config: { ...outputConfig, effort } }) };
}

/** The effort becomes the budget, and leaves output_config: Sonnet and Haiku 4.5 refuse it. */
function toBudget(body: WireObject): WireObject {
  const { thinking: _drop, output_config: outputConfig, ...rest } = body;
  const { effort: wanted, ...config } = isRecord(outputConfig) ? outputConfig : {};
  const out: WireObject = Object.keys(config).length > 0 ? { ...rest, output_config: config } : rest;
  const effort = typeof wanted === 'string' ? effortFromAnthropic(wanted) : undefined;
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : 0;
  const budget = Math.min(effort ? budgetForEffort(effort) : DEFAULT_THINKING_BUDGET, maxTokens - 1);
  return budget < MIN_THINKING_BUDGET ? out : { ...out, thinking: { type: 'enabled', budget_tokens: budget } };
}
