import { adaptiveEffort, effortForBudget, thinkingStyle } from '../../dialects/anthropic/models.js';
import type { WireObject } from '../../dialects/dialect.js';
import { isRecord } from '../../dialects/shared/json.js';

/**
 * A body for a Claude model that only thinks adaptively (4.7 and later, models.ts), from a
 * client that still sends a thinking budget or `disabled`: both are a 400 there. The budget
 * becomes `adaptive` with an effort (unless the client set one), and `disabled` is left out.
 * Other models, and bodies already adaptive, pass unchanged.
 */
export function fitThinkingToModel(body: WireObject): WireObject {
  const model = typeof body.model === 'string' ? body.model : '';
  if (!isRecord(body.thinking) || thinkingStyle(model) !== 'adaptive-only') return body;
  const { thinking, ...rest } = body;
  if (thinking.type === 'disabled') return rest;
  if (thinking.type !== 'enabled') return body;
  const outputConfig = isRecord(body.output_config) ? body.output_config : {};
  const budget = typeof thinking.budget_tokens === 'number' ? thinking.budget_tokens : undefined;
  const effort = outputConfig.effort ?? (budget === undefined ? undefined : adaptiveEffort(effortForBudget(budget), 'adaptive-only'));
  return { ...rest, thinking: { type: 'adaptive' }, ...(effort !== undefined && { output_config: { ...outputConfig, effort } }) };
}
