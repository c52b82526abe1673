/**
 * Enum maps between Anthropic Messages and the IR.
 * stop_reason: https://docs.anthropic.com/en/api/messages#response-stop-reason
 * effort: https://docs.anthropic.com/en/api/messages#body-output-config-effort
 * thinking budgets: https://docs.anthropic.com/en/docs/build-with-claude/extended-thinking
 */
import type { IrEffort, IrFinishReason } from '../ir.js';

export type AnthropicStopReason =
  | 'end_turn'
  | 'max_tokens'
  | 'stop_sequence'
  | 'tool_use'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

/** Upstream stop_reason → IR. Unknown future reasons read as a plain stop. */
const STOP_REASON_TO_IR: ReadonlyMap<string, IrFinishReason> = new Map<string, IrFinishReason>([
  ['end_turn', 'stop'],
  ['max_tokens', 'length'],
  ['stop_sequence', 'stop_sequence'],
  ['tool_use', 'tool_calls'],
  ['pause_turn', 'pause'],
  ['refusal', 'refusal'],
  ['model_context_window_exceeded', 'length'],
]);

/**
 * IR → client stop_reason. A content filter is not a model refusal (the SDK's `refusal`
 * carries stop_details the gateway cannot fill), so it ends as a plain end_turn, like error.
 */
const IR_TO_STOP_REASON: Record<IrFinishReason, AnthropicStopReason> = {
  stop: 'end_turn',
  length: 'max_tokens',
  stop_sequence: 'stop_sequence',
  tool_calls: 'tool_use',
  pause: 'pause_turn',
  refusal: 'refusal',
  content_filter: 'end_turn',
  error: 'end_turn',
};

export function finishFromAnthropic(reason: string): IrFinishReason {
  return STOP_REASON_TO_IR.get(reason) ?? 'stop';
}

export function finishToAnthropic(reason: IrFinishReason): AnthropicStopReason {
  return IR_TO_STOP_REASON[reason];
}

/** output_config.effort → IR. `max` is beyond every other dialect's top level, so it reads as xhigh. */
const EFFORT_TO_IR: ReadonlyMap<string, IrEffort> = new Map<string, IrEffort>([
  ['low', 'low'],
  ['medium', 'medium'],
  ['high', 'high'],
  ['xhigh', 'xhigh'],
  ['max', 'xhigh'],
]);

export function effortFromAnthropic(effort: string): IrEffort | undefined {
  return EFFORT_TO_IR.get(effort);
}

/** The smallest budget_tokens Anthropic accepts. */
export const MIN_THINKING_BUDGET = 1024;

/** Budget for a client that enabled thinking without a budget or an effort (`adaptive`). */
export const DEFAULT_THINKING_BUDGET = 12288;

/** Default max_tokens when the client gave none (Anthropic requires the field). */
export const DEFAULT_MAX_TOKENS = 32000;

/** Thinking budget per IR effort; `none` means no thinking at all. */
const EFFORT_BUDGET: Record<IrEffort, number> = {
  none: 0,
  minimal: 4096,
  low: 4096,
  medium: 12288,
  high: 24576,
  xhigh: 40960,
};

export function budgetForEffort(effort: IrEffort): number {
  return EFFORT_BUDGET[effort];
}

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
