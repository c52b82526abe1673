import type { StreamParser } from '../dialects/dialect.js';
import { mergeUsage } from '../dialects/collect.js';
import type { IrErrorInfo, IrEvent, IrUsage } from '../dialects/ir.js';
import { LineDecoder } from '../upstream/sse/line-decoder.js';
import { SseDecoder } from '../upstream/sse/sse-decoder.js';
import { sseEventsOf } from './upstream-events.js';

/** Events that show the answer has begun: after one of them a failure can no longer fail over. */
export function isAnswerEvent(ev: IrEvent): boolean {
  return ev.kind !== 'start' && ev.kind !== 'usage' && ev.kind !== 'error';
}

export type WatchResult =
  | { kind: 'error'; error: IrErrorInfo }
  | { kind: 'stream'; chunks: AsyncGenerator<Uint8Array> };

/**
 * Watches a pass-through SSE stream without changing a byte of it. Its first bytes are
 * held until the first answer event, so an error before it can still fail over to another
 * key; after that, bytes are forwarded the moment they arrive while a push parser reads
 * along for the usage, reported once at the end.
 */
export async function watchPassthrough(
  body: AsyncIterable<Uint8Array>,
  parser: StreamParser,
  onUsage: (usage: IrUsage) => void,
): Promise<WatchResult> {
  const it = body[Symbol.asyncIterator]();
  const lines = new LineDecoder();
  const sse = new SseDecoder();
  let usage: IrUsage = {};
  let parsing = true;
  const feed = (chunk: Uint8Array): IrEvent[] => {
    if (!parsing) return [];
    const out: IrEvent[] = [];
    try {
      for (const ev of sseEventsOf(chunk, lines, sse)) out.push(...parser.push(ev));
    } catch {
      parsing = false; // a malformed event is the client's to see; the bytes still flow
    }
    for (const ev of out) if (ev.kind === 'usage') usage = mergeUsage(usage, ev.usage);
    return out;
  };

  const held: Uint8Array[] = [];
  for (;;) {
    const next = await it.next();
    if (next.done) break;
    held.push(next.value);
    const events = feed(next.value);
    const error = events.find((e) => e.kind === 'error');
    if (error?.kind === 'error') {
      await it.return?.();
      return { kind: 'error', error: error.error };
    }
    if (events.some(isAnswerEvent)) break;
  }

  async function* chunks(): AsyncGenerator<Uint8Array> {
    try {
      yield* held;
      for (;;) {
        const next = await it.next();
        if (next.done) break;
        yield next.value;
        feed(next.value);
      }
    } finally {
      onUsage(usage);
    }
  }
  return { kind: 'stream', chunks: chunks() };
}
