/**
 * Upstream policies on a body already in Anthropic's form (converted, or passed through as
 * the client sent it): the system prompt, a forced reasoning level, the fields every body
 * needs, and what a passed-through body must lose or change for the model to accept it.
 * Pure functions of the body; the pipeline decides when each applies (upstream-request.ts).
 */
import type { ForcedReasoning } from '../profile.js';
import type { WireObject } from '../dialect.js';
import { unpackReasoningSignature } from '../../dialect-kit/carried-reasoning.js';
import { isRecord } from '../../dialect-kit/json.js';
import {
  adaptiveEffort,
  budgetForEffort,
  DEFAULT_MAX_TOKENS,
  DEFAULT_THINKING_BUDGET,
  effortForBudget,
  effortFromAnthropic,
  MIN_THINKING_BUDGET,
  thinkingStyle,
} from './maps.js';

/** Output room kept above a forced thinking budget so the answer itself is not starved. */
const ANSWER_ROOM = 4096;

/** The configured prompt as the first system block; the client's own system text stays after it. */
export function injectSystemPrompt(body: WireObject, prompt: string): WireObject {
  if (prompt === '') return body;
  return { ...body, system: [{ type: 'text', text: prompt }, ...systemBlocks(body.system)] };
}

function systemBlocks(system: unknown): unknown[] {
  if (typeof system === 'string') return system === '' ? [] : [{ type: 'text', text: system }];
  return Array.isArray(system) ? system : [];
}

/** Anthropic requires max_tokens: a body without it gets the dialect's default. */
export function finalize(body: WireObject, modelId: string): WireObject {
  const out: WireObject = { ...body, model: modelId };
  if (typeof out.max_tokens !== 'number') out.max_tokens = DEFAULT_MAX_TOKENS;
  return out;
}

/**
 * A forced level as thinking in the form the model takes: a budget (budgetForEffort) up to
 * Claude 4.5, adaptive with the level as effort from 4.6 on; `off` removes thinking.
 */
export function forceReasoning(body: WireObject, level: ForcedReasoning): WireObject {
  const { thinking: _drop, ...rest } = body;
  if (level === 'off') return rest;
  // Anthropic refuses thinking together with a forced tool choice: the client's choice wins.
  if (isRecord(body.tool_choice) && (body.tool_choice.type === 'any' || body.tool_choice.type === 'tool')) return body;
  // Anthropic rejects temperature/top_k with thinking.
  const { temperature: _t, top_k: _k, ...out } = rest;
  const style = thinkingStyle(typeof body.model === 'string' ? body.model : '');
  if (style !== 'budget') {
    const outputConfig = isRecord(body.output_config) ? body.output_config : {};
    return { ...out, thinking: { type: 'adaptive' }, output_config: { ...outputConfig, effort: adaptiveEffort(level, style) } };
  }
  const budget = budgetForEffort(level);
  const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : 0;
  // Anthropic requires budget_tokens < max_tokens.
  return { ...out, max_tokens: Math.max(maxTokens, budget + ANSWER_ROOM), thinking: { type: 'enabled', budget_tokens: budget } };
}

/**
 * Last, after the other policies: thinking from other providers dropped, and thinking in
 * the form the model takes (a client's own fields, passed through, may not fit it).
 */
export function fitToModel(body: WireObject): WireObject {
  return fitThinkingToModel(dropForeignThinking(body));
}

/** A thinking block Anthropic did not sign: empty signature, or another provider's reasoning carried in it. */
function isForeignThinking(block: unknown): boolean {
  if (!isRecord(block) || block.type !== 'thinking') return false;
  const signature = block.signature;
  return typeof signature !== 'string' || signature === '' || unpackReasoningSignature(signature) !== undefined;
}

/**
 * An Anthropic body sent on as it came (pass-through) can still hold thinking blocks from
 * an earlier model of the conversation (a client that switched from GPT or Gemini): Anthropic
 * answers 400 to a signature it did not issue, so those blocks are dropped. The body is
 * copied only when there is something to drop.
 */
export function dropForeignThinking(body: WireObject): WireObject {
  const messages = body.messages;
  if (!Array.isArray(messages)) return body;
  const touched = messages.some((m) => isRecord(m) && m.role === 'assistant' && Array.isArray(m.content) && m.content.some(isForeignThinking));
  if (!touched) return body;
  return {
    ...body,
    messages: messages.map((m) =>
      isRecord(m) && m.role === 'assistant' && Array.isArray(m.content) ? { ...m, content: m.content.filter((b) => !isForeignThinking(b)) } : m,
    ),
  };
}

/**
 * Thinking in the form the Claude model takes (thinkingStyle in maps.ts), whatever the client sent; each
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
