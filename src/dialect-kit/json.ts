import { GatewayError } from '../errors.js';
import type { SseEvent } from '../dialects/dialect.js';
import { isRecord } from '../runtime/guards.js';

/** Parses one upstream SSE event's data as JSON; a malformed event is an upstream fault. */
export function parseEventJson(ev: SseEvent): unknown {
  try {
    return JSON.parse(ev.data);
  } catch (cause) {
    throw new GatewayError('upstream_error', 'upstream sent an event that is not JSON', { cause });
  }
}

/** Tool-call arguments text → object, for dialects that carry arguments as objects. Invalid JSON → `{}`. */
export function argumentsObject(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : { value };
  } catch {
    return {};
  }
}

export { isRecord };

/** A data event carrying `obj` as compact JSON. */
export function jsonEvent(obj: unknown, event?: string): SseEvent {
  return event === undefined ? { data: JSON.stringify(obj) } : { event, data: JSON.stringify(obj) };
}
