/**
 * Chat `usage` ↔ IR usage (https://platform.openai.com/docs/api-reference/chat/object#chat/object-usage).
 * Both count cached prompt tokens inside prompt_tokens, so no arithmetic is needed but the total.
 */
import type { WireObject } from '../dialect.js';
import type { IrUsage } from '../ir.js';
import { OpenAIChatUsageSchema, type OpenAIChatUsage } from './wire-response.js';
import { isRecord } from '../../dialect-kit/json.js';

export function usageFromChat(usage: OpenAIChatUsage): IrUsage {
  const out: IrUsage = {};
  if (typeof usage.prompt_tokens === 'number') out.inputTokens = usage.prompt_tokens;
  if (typeof usage.completion_tokens === 'number') out.outputTokens = usage.completion_tokens;
  const cached = usage.prompt_tokens_details?.cached_tokens;
  if (typeof cached === 'number') out.cachedInputTokens = cached;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') out.reasoningTokens = reasoning;
  return out;
}

export function usageToChat(usage: IrUsage): WireObject {
  const prompt = usage.inputTokens ?? 0;
  const completion = usage.outputTokens ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
}

/** The usage of a whole chat.completion, without validating the rest of it. */
export function responseUsage(json: unknown): IrUsage {
  const parsed = OpenAIChatUsageSchema.safeParse(isRecord(json) ? json.usage : undefined);
  return parsed.success ? usageFromChat(parsed.data) : {};
}
