/**
 * Upstream policies on a body already in Responses form (Factory's /api/llm/o/v1/responses):
 * the system prompt, a forced reasoning level, the fields every body needs, fast mode.
 */
import type { WireObject } from '../dialect.js';
import type { ForcedReasoning } from '../profile.js';
import { RESPONSES_EFFORT_OF_LEVEL } from './maps.js';

/** OpenAI's reasoning models (GPT-5.x, o-series) answer 400 to sampling parameters. */
const REASONING_MODEL = /^(gpt-5|o\d)/;

/** The prompt leads `instructions`, the client's own follow it. */
export function injectSystemPrompt(body: WireObject, prompt: string): WireObject {
  if (prompt === '') return body;
  const own = typeof body.instructions === 'string' ? body.instructions : '';
  return { ...body, instructions: prompt + own };
}

export function forceReasoning(body: WireObject, level: ForcedReasoning): WireObject {
  const { reasoning: _drop, ...rest } = body;
  return level === 'off' ? rest : { ...rest, reasoning: { effort: RESPONSES_EFFORT_OF_LEVEL[level], summary: 'auto' } };
}

export function finalize(body: WireObject, modelId: string): WireObject {
  const out: WireObject = { ...body, model: modelId };
  if (REASONING_MODEL.test(modelId)) {
    delete out.temperature;
    delete out.top_p;
  }
  return out;
}

/** The priority tier, unless the client chose a tier itself. */
export function fastMode(body: WireObject): WireObject {
  return body.service_tier !== undefined ? body : { ...body, service_tier: 'priority' };
}
