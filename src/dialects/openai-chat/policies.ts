/**
 * Upstream policies on a body already in Chat Completions form (Factory's "common"
 * endpoint): the system prompt, a forced reasoning level, the fields every body needs.
 */
import type { WireObject } from '../dialect.js';
import type { ForcedReasoning } from '../profile.js';
import { isRecord } from '../../dialect-kit/json.js';
import { CHAT_EFFORT_OF_LEVEL } from './maps.js';

/** The prompt leads the first system (or developer) message, or is one of its own. */
export function injectSystemPrompt(body: WireObject, prompt: string): WireObject {
  if (prompt === '') return body;
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const first: unknown = messages[0];
  if (isRecord(first) && (first.role === 'system' || first.role === 'developer')) {
    const content = first.content;
    let merged: unknown;
    if (typeof content === 'string') merged = prompt + content;
    else if (Array.isArray(content)) merged = [{ type: 'text', text: prompt }, ...content];
    else merged = prompt;
    return { ...body, messages: [{ ...first, content: merged }, ...messages.slice(1)] };
  }
  return { ...body, messages: [{ role: 'system', content: prompt }, ...messages] };
}

export function forceReasoning(body: WireObject, level: ForcedReasoning): WireObject {
  const { reasoning_effort: _drop, ...rest } = body;
  return level === 'off' ? rest : { ...rest, reasoning_effort: CHAT_EFFORT_OF_LEVEL[level] };
}

export function finalize(body: WireObject, modelId: string): WireObject {
  return { ...body, model: modelId };
}
