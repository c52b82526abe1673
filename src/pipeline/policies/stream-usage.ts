import type { SseEvent, WireObject } from '../../dialects/dialect.js';
import type { DialectId } from '../../dialects/ir.js';
import { isRecord } from '../../dialect-kit/json.js';

/**
 * A Chat Completions stream carries usage only when the client asks for it
 * (`stream_options.include_usage`); without it the key's token counters would miss the
 * answer. So a passed-through Chat stream always asks the upstream, and when the client
 * did not ask, the usage-only chunk (`choices: []`) is taken out before it reaches the
 * client, which may not expect a chunk without choices. Returns the body to send and
 * whether that chunk must be hidden.
 */
export function askStreamUsage(body: WireObject, dialect: DialectId): { body: WireObject; hideUsageChunk: boolean } {
  if (dialect !== 'openai-chat' || body.stream !== true) return { body, hideUsageChunk: false };
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
