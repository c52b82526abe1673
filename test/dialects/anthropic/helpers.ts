import type { SseEvent } from '../../../src/dialects/dialect.js';
import type { WriteContext } from '../../../src/dialects/ir.js';

export async function* from<T>(xs: T[]): AsyncGenerator<T> {
  yield* xs;
}

export async function toArray<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** One upstream event, named after its type as Anthropic sends it. */
export function sse(data: { type: string } & Record<string, unknown>): SseEvent {
  return { event: data.type, data: JSON.stringify(data) };
}

export function writeContext(): WriteContext {
  let n = 0;
  return {
    id: 'msg_gateway_1',
    model: 'claude-sonnet-4-6',
    created: 1_700_000_000,
    includeUsage: false,
    newId: (prefix) => `${prefix}${++n}`,
    tools: [],
  };
}

export function payloads(events: SseEvent[]): Array<Record<string, unknown>> {
  return events.map((e) => JSON.parse(e.data) as Record<string, unknown>);
}
