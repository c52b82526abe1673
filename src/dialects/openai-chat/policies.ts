/**
 * Upstream policies on a body already in Chat Completions form (Factory's "common"
 * endpoint): the system prompt, a forced reasoning level, the fields every body needs, and
 * the usage a passed-through stream must ask for.
 */
import type { SseEvent, WireObject } from '../dialect.js';
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

/**
 * A Chat Completions stream carries usage only when the client asks for it
 * (`stream_options.include_usage`); without it the key's token counters would miss the
 * answer. So a passed-through Chat stream always asks the upstream, and when the client
 * did not ask, the usage-only chunk (`choices: []`) is taken out before it reaches the
 * client, which may not expect a chunk without choices. Returns the body to send and
 * whether that chunk must be hidden.
 */
export function askStreamUsage(body: WireObject): { body: WireObject; hideUsageChunk: boolean } {
  if (body.stream !== true) return { body, hideUsageChunk: false };
  const options = isRecord(body.stream_options) ? body.stream_options : {};
  if (options.include_usage === true) return { body, hideUsageChunk: false };
  return { body: { ...body, stream_options: { ...options, include_usage: true } }, hideUsageChunk: true };
}

/** The Chat chunk that only carries usage: no choices, a usage object. */
export function isUsageOnlyChunk(ev: SseEvent): boolean {
  // Most chunks carry `"usage":null` or no usage at all: only a usage object is parsed.
  if (!ev.data.includes('"usage":{')) return false;
  try {
    const json: unknown = JSON.parse(ev.data);
    return isRecord(json) && Array.isArray(json.choices) && json.choices.length === 0 && isRecord(json.usage);
  } catch {
    return false;
  }
}
