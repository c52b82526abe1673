/**
 * Upstream policies on a body already in Factory's Gemini form (a generateContent body with
 * a top-level `model`): the system prompt, a forced reasoning level, the fields every body needs.
 */
import type { WireObject } from '../dialect.js';
import type { ForcedReasoning } from '../profile.js';
import { isRecord } from '../../dialect-kit/json.js';
import { LEVEL_FROM_EFFORT } from './maps.js';

/** The prompt as the first part of systemInstruction, whatever form the client's took. */
export function injectSystemPrompt(body: WireObject, prompt: string): WireObject {
  if (prompt === '') return body;
  // Gemini accepts the snake_case spelling too; fold it into the camelCase field.
  const { system_instruction: snake, ...rest } = body;
  const existing = body.systemInstruction ?? snake;
  let parts: unknown[] = [];
  if (typeof existing === 'string') parts = [{ text: existing }];
  else if (isRecord(existing) && Array.isArray(existing.parts)) parts = existing.parts;
  const base = isRecord(existing) ? existing : {};
  return { ...rest, systemInstruction: { ...base, parts: [{ text: prompt }, ...parts] } };
}

export function forceReasoning(body: WireObject, level: ForcedReasoning): WireObject {
  const generationConfig = isRecord(body.generationConfig) ? body.generationConfig : {};
  const { thinkingConfig: _drop, ...gen } = generationConfig;
  if (level === 'off') return { ...body, generationConfig: gen };
  // A forced level replaces the client's thinkingConfig whole: Gemini rejects a budget and a level together.
  return { ...body, generationConfig: { ...gen, thinkingConfig: { includeThoughts: true, thinkingLevel: LEVEL_FROM_EFFORT[level] } } };
}

/** Factory wants `model` in the body; Gemini's strict parser rejects the non-standard `stream` flag. */
export function finalize(body: WireObject, modelId: string): WireObject {
  const { stream: _drop, ...rest } = body;
  return { ...rest, model: modelId };
}
