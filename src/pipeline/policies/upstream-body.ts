import type { DialectId } from '../../dialects/ir.js';
import type { WireObject } from '../../dialects/dialect.js';

/** Anthropic requires max_tokens; a body without it gets this default. */
export const DEFAULT_ANTHROPIC_MAX_TOKENS = 32_000;

/**
 * What every upstream body needs whatever the client sent: the upstream model id, and
 * the fields the upstream requires or rejects (Anthropic max_tokens; Gemini's strict
 * parser rejects the non-standard `stream` flag and wants `model` in the body for Factory;
 * OpenAI reasoning models reject temperature and top_p).
 */
export function finalizeUpstreamBody(body: WireObject, dialect: DialectId, modelId: string): WireObject {
  const out: WireObject = { ...body, model: modelId };
  if (dialect === 'anthropic' && typeof out.max_tokens !== 'number') out.max_tokens = DEFAULT_ANTHROPIC_MAX_TOKENS;
  if (dialect === 'google') delete out.stream;
  // OpenAI's reasoning models (GPT-5.x, o-series) answer 400 to sampling parameters.
  if (dialect === 'openai-responses' && /^(gpt-5|o\d)/.test(modelId)) {
    delete out.temperature;
    delete out.top_p;
  }
  return out;
}
