/** Upstream policies on an echo body (were a model to use echo upstream). */
import type { WireObject } from '../../../src/dialects/dialect.js';

export function injectSystemPrompt(body: WireObject, prompt: string): WireObject {
  const own = typeof body.system === 'string' ? body.system : '';
  return { ...body, system: prompt + own };
}

/** Echo bodies have no reasoning field: a forced level changes nothing. */
export function forceReasoning(body: WireObject): WireObject {
  return body;
}

export function finalize(body: WireObject, modelId: string): WireObject {
  return { ...body, model: modelId };
}
