/**
 * Gemini UsageMetadata (https://ai.google.dev/api/generate-content#UsageMetadata) ↔ IR usage.
 * Gemini counts thoughts apart from candidates; the IR counts them inside output tokens.
 */
import type { IrUsage } from '../ir.js';
import { isRecord } from '../../dialect-kit/json.js';
import type { GoogleUsageMetadata } from './wire-response.js';

type Json = Record<string, unknown>;

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** An upstream's UsageMetadata → IR usage: thoughts are output tokens too. */
export function usageFromMetadata(meta: Json): IrUsage {
  const usage: IrUsage = {};
  const prompt = num(meta.promptTokenCount);
  const candidates = num(meta.candidatesTokenCount);
  const thoughts = num(meta.thoughtsTokenCount);
  const cached = num(meta.cachedContentTokenCount);
  if (prompt !== undefined) usage.inputTokens = prompt;
  if (candidates !== undefined || thoughts !== undefined) usage.outputTokens = (candidates ?? 0) + (thoughts ?? 0);
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  if (cached !== undefined) usage.cachedInputTokens = cached;
  return usage;
}

/** UsageMetadata: Gemini counts thoughts apart from candidates, and the total covers both plus the prompt. */
export function usageMetadata(usage: IrUsage): GoogleUsageMetadata {
  const input = usage.inputTokens ?? 0;
  const output = usage.outputTokens ?? 0;
  const thoughts = usage.reasoningTokens ?? 0;
  const meta: GoogleUsageMetadata = {
    promptTokenCount: input,
    candidatesTokenCount: Math.max(0, output - thoughts),
  };
  if (usage.reasoningTokens !== undefined) meta.thoughtsTokenCount = thoughts;
  if (usage.cachedInputTokens !== undefined) meta.cachedContentTokenCount = usage.cachedInputTokens;
  meta.totalTokenCount = input + output;
  return meta;
}

/** The usage of a whole answer (one response, or the last of a JSON array of chunks). */
export function responseUsage(json: unknown): IrUsage {
  const last: unknown = Array.isArray(json) ? json.at(-1) : json;
  return isRecord(last) && isRecord(last.usageMetadata) ? usageFromMetadata(last.usageMetadata) : {};
}
