/**
 * Enum maps between OpenAI Chat Completions and the IR.
 * finish_reason: https://platform.openai.com/docs/api-reference/chat/object#chat/object-choices
 * reasoning_effort: https://platform.openai.com/docs/api-reference/chat/create#chat-create-reasoning_effort
 */
import type { IrEffort, IrFinishReason, IrReasoning } from '../ir.js';
import type { ForcedReasoning } from '../profile.js';
import type { OpenAIChatFinishReason } from './wire-response.js';

/** Upstream finish_reason → IR. Unknown reasons (some providers invent their own) read as a plain stop. */
const CHAT_TO_IR_FINISH: ReadonlyMap<string, IrFinishReason> = new Map<string, IrFinishReason>([
  ['stop', 'stop'],
  ['length', 'length'],
  ['tool_calls', 'tool_calls'],
  ['function_call', 'tool_calls'],
  ['content_filter', 'content_filter'],
]);

/** IR → client finish_reason. Chat has no stop_sequence / pause / refusal / error reasons: all end as `stop`. */
const IR_TO_CHAT_FINISH: Record<IrFinishReason, OpenAIChatFinishReason> = {
  stop: 'stop',
  stop_sequence: 'stop',
  length: 'length',
  tool_calls: 'tool_calls',
  content_filter: 'content_filter',
  refusal: 'stop',
  pause: 'stop',
  error: 'stop',
};

export function finishFromChat(reason: string): IrFinishReason {
  return CHAT_TO_IR_FINISH.get(reason) ?? 'stop';
}

export function finishToChat(reason: IrFinishReason): OpenAIChatFinishReason {
  return IR_TO_CHAT_FINISH[reason];
}

/** Client `reasoning_effort` (plus the non-standard Anthropic-style `thinking`) → IR reasoning. */
export function reasoningFromChat(
  effort: IrEffort | null | undefined,
  thinking: { type: string; budget_tokens?: number | null } | null | undefined,
): IrReasoning | undefined {
  let reasoning: IrReasoning | undefined;
  if (effort) reasoning = { enabled: effort !== 'none', effort };
  if (thinking?.type === 'enabled') {
    reasoning = { ...reasoning, enabled: true };
    if (typeof thinking.budget_tokens === 'number') reasoning.budgetTokens = thinking.budget_tokens;
  } else if (thinking?.type === 'disabled' && !reasoning) {
    reasoning = { enabled: false };
  }
  return reasoning;
}

/**
 * A level the gateway forces → `reasoning_effort`: the level's own name, as a client's
 * effort is sent (below), so `xhigh` reads the same whether the client or the config asked.
 */
export const CHAT_EFFORT_OF_LEVEL: Readonly<Record<Exclude<ForcedReasoning, 'off'>, IrEffort>> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'xhigh',
};

/**
 * IR reasoning → upstream `reasoning_effort`. Efforts pass as given; a budget alone asks for
 * `medium`, the API's default level; disabled or unspecified reasoning sends nothing.
 */
export function reasoningEffortToChat(reasoning: IrReasoning | undefined): IrEffort | undefined {
  if (!reasoning?.enabled) return undefined;
  if (reasoning.effort !== undefined && reasoning.effort !== 'none') return reasoning.effort;
  if (reasoning.budgetTokens !== undefined) return 'medium';
  return undefined;
}
