/**
 * What Claude models accept for thinking, by model id: the one Anthropic fact the request
 * builder and the reasoning policies need beyond the wire format
 * (https://platform.claude.com/docs/en/build-with-claude/adaptive-thinking,
 * https://platform.claude.com/docs/en/build-with-claude/effort):
 * - up to 4.5: `thinking: {type: "enabled", budget_tokens}` only;
 * - 4.6 (Opus, Sonnet): `adaptive` with `output_config.effort` (low … max), `enabled` still
 *   accepted but deprecated;
 * - 4.7 and later, Mythos and Fable: `adaptive` only; `enabled` and `disabled` are a 400,
 *   and effort also knows `xhigh`.
 * Ids that are not Claude's (models served in Anthropic's format by others) keep budgets.
 */
import type { IrEffort } from '../ir.js';

export type ThinkingStyle = 'budget' | 'adaptive' | 'adaptive-only';

/** `claude-<family>-<major>[-<minor>]`, where a minor is one or two digits (not a date suffix). */
const VERSIONED = /^claude-(?:opus|sonnet|haiku)-(\d+)(?:-(\d{1,2}))?(?:$|-)/;
const ADAPTIVE_ONLY_FAMILIES = /^claude-(?:mythos|fable)(?:$|-)/;

export function thinkingStyle(model: string): ThinkingStyle {
  if (ADAPTIVE_ONLY_FAMILIES.test(model)) return 'adaptive-only';
  const m = VERSIONED.exec(model);
  if (!m) return 'budget';
  const version = Number(m[1]) * 100 + Number(m[2] ?? 0);
  if (version >= 407) return 'adaptive-only';
  return version === 406 ? 'adaptive' : 'budget';
}

/**
 * An IR effort as `output_config.effort` for a model that thinks adaptively; undefined
 * for `none` (no thinking at all). `xhigh` is the top IR level: a 4.6 model, which has no
 * `xhigh`, gets its `max`.
 */
export function adaptiveEffort(effort: IrEffort, style: Exclude<ThinkingStyle, 'budget'>): string | undefined {
  switch (effort) {
    case 'none':
      return undefined;
    case 'minimal':
    case 'low':
      return 'low';
    case 'medium':
      return 'medium';
    case 'high':
      return 'high';
    case 'xhigh':
      return style === 'adaptive-only' ? 'xhigh' : 'max';
  }
}

/** A client's thinking budget read as an effort, for a model that takes no budget. */
export function effortForBudget(budgetTokens: number): IrEffort {
  if (budgetTokens <= 4096) return 'low';
  if (budgetTokens <= 16384) return 'medium';
  return 'high';
}
