/**
 * Responses `usage` ↔ IR usage. Both count cached tokens inside input_tokens and reasoning
 * tokens inside output_tokens, so the numbers carry over unchanged.
 * Spec: https://platform.openai.com/docs/api-reference/responses/object#responses/object-usage
 */
import type { IrUsage } from '../ir.js';
import { isRecord } from '../../dialect-kit/json.js';
import type { ResponsesUsage } from './wire-response.js';

export function usageFromWire(usage: unknown): IrUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const out: IrUsage = {};
  const input = count(usage.input_tokens);
  const output = count(usage.output_tokens);
  const cached = isRecord(usage.input_tokens_details) ? count(usage.input_tokens_details.cached_tokens) : undefined;
  const reasoning = isRecord(usage.output_tokens_details)
    ? count(usage.output_tokens_details.reasoning_tokens)
    : undefined;
  if (input !== undefined) out.inputTokens = input;
  if (cached !== undefined) out.cachedInputTokens = cached;
  if (output !== undefined) out.outputTokens = output;
  if (reasoning !== undefined) out.reasoningTokens = reasoning;
  return out;
}

export function usageToWire(usage: IrUsage): ResponsesUsage {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cachedInputTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: input + output,
  };
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** The usage of a whole response object, without reading the rest of it. */
export function responseUsage(json: unknown): IrUsage {
  return (isRecord(json) ? usageFromWire(json.usage) : undefined) ?? {};
}
