import type { SseEvent } from '../../../src/dialects/dialect.js';
import type { IrTool, WriteContext } from '../../../src/dialects/ir.js';

export async function* from<T>(xs: T[]): AsyncGenerator<T> {
  yield* xs;
}

export async function all<T>(xs: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of xs) out.push(x);
  return out;
}

/** One upstream event as OpenAI sends it: `event:` name plus a JSON body carrying the same type. */
export function sse(type: string, fields: Record<string, unknown> = {}): SseEvent {
  return { event: type, data: JSON.stringify({ type, ...fields }) };
}

/** A write context with counting ids, so expectations are stable. */
export function context(tools: IrTool[] = []): WriteContext {
  let n = 0;
  return {
    id: 'resp_test',
    model: 'gpt-5.1',
    created: 1_700_000_000,
    includeUsage: false,
    newId: (prefix) => `${prefix}${++n}`,
    tools,
  };
}

export interface WrittenEvent {
  event: string | undefined;
  data: Record<string, unknown>;
}

export function decode(events: SseEvent[]): WrittenEvent[] {
  return events.map((ev) => ({ event: ev.event, data: JSON.parse(ev.data) as Record<string, unknown> }));
}
