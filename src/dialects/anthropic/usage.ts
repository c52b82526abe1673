/**
 * Usage between Anthropic and the IR. Anthropic's input_tokens leaves out cache reads and
 * cache writes (https://docs.anthropic.com/en/api/messages#response-usage); the IR counts
 * every prompt token in inputTokens (OpenAI semantics), so both directions convert.
 */
import type { IrUsage } from '../ir.js';
import { AnthropicUsageSchema, type AnthropicUsage } from './wire-response.js';
import { isRecord } from '../../dialect-kit/json.js';
import type { AnthropicUsageOut } from './wire-response.js';

/** Present fields of `next` replace those of `into` (message_delta repeats only what changed). */
export function mergeAnthropicUsage(into: AnthropicUsage, next: AnthropicUsage): AnthropicUsage {
  const out: AnthropicUsage = { ...into };
  if (next.input_tokens != null) out.input_tokens = next.input_tokens;
  if (next.output_tokens != null) out.output_tokens = next.output_tokens;
  if (next.cache_read_input_tokens != null) out.cache_read_input_tokens = next.cache_read_input_tokens;
  if (next.cache_creation_input_tokens != null) out.cache_creation_input_tokens = next.cache_creation_input_tokens;
  if (next.output_tokens_details != null) out.output_tokens_details = next.output_tokens_details;
  return out;
}

export function usageFromAnthropic(u: AnthropicUsage): IrUsage {
  const out: IrUsage = {};
  const cacheRead = u.cache_read_input_tokens ?? 0;
  const cacheCreation = u.cache_creation_input_tokens ?? 0;
  if (u.input_tokens != null) out.inputTokens = u.input_tokens + cacheRead + cacheCreation;
  if (u.cache_read_input_tokens != null) out.cachedInputTokens = cacheRead;
  if (u.cache_creation_input_tokens != null) out.cacheCreationInputTokens = cacheCreation;
  if (u.output_tokens != null) out.outputTokens = u.output_tokens;
  const reasoning = u.output_tokens_details?.reasoning_tokens;
  if (reasoning != null) out.reasoningTokens = reasoning;
  return out;
}

export function usageToAnthropic(u: IrUsage): AnthropicUsageOut {
  const cacheRead = u.cachedInputTokens ?? 0;
  const cacheCreation = u.cacheCreationInputTokens ?? 0;
  return {
    input_tokens: Math.max(0, (u.inputTokens ?? 0) - cacheRead - cacheCreation),
    output_tokens: u.outputTokens ?? 0,
    cache_creation_input_tokens: cacheCreation,
    cache_read_input_tokens: cacheRead,
  };
}

/** The usage of a whole Message, without validating the rest of it. */
export function responseUsage(json: unknown): IrUsage {
  const parsed = AnthropicUsageSchema.safeParse(isRecord(json) ? json.usage : undefined);
  return parsed.success ? usageFromAnthropic(parsed.data) : {};
}
