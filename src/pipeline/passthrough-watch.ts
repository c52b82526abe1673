import type { SseEvent, StreamParser } from '../dialects/dialect.js';
import { mergeUsage } from '../dialects/collect.js';
import type { IrErrorInfo, IrEvent, IrUsage } from '../dialects/ir.js';
import { formatSse } from '../upstream/sse/format.js';
import { LineDecoder } from '../upstream/sse/line-decoder.js';
import { SseDecoder } from '../upstream/sse/sse-decoder.js';
import { sseEventsOf } from './upstream-events.js';

/** Events that show the answer has begun: after one of them a failure can no longer fail over. */
export function isAnswerEvent(ev: IrEvent): boolean {
  return ev.kind !== 'start' && ev.kind !== 'usage' && ev.kind !== 'error';
}

export type WatchResult =
  | { kind: 'error'; error: IrErrorInfo }
  | { kind: 'stream'; chunks: AsyncGenerator<Uint8Array | string> };

/**
 * Watches a pass-through SSE stream without changing a byte of it. Its first bytes are
 * held until the first answer event, so an error before it can still fail over to another
 * key; after that, bytes are forwarded the moment they arrive while a push parser reads
 * along for the usage, reported once at the end. With `hide`, the events it names are
 * left out: the stream is then forwarded event by event (each event's data unchanged).
 */
export async function watchPassthrough(
  body: AsyncIterable<Uint8Array>,
  parser: StreamParser,
  onUsage: (usage: IrUsage) => void,
  hide?: (ev: SseEvent) => boolean,
): Promise<WatchResult> {
  const it = body[Symbol.asyncIterator]();
  const lines = new LineDecoder();
  const sse = new SseDecoder();
  let usage: IrUsage = {};
  let parsing = true;
  let answering = false;
  const parse = (events: SseEvent[]): IrEvent[] => {
    if (!parsing) return [];
    const out: IrEvent[] = [];
    try {
      // Once the answer runs (from the event that began it, even within one read), only
      // usage and errors are read: an event that mentions neither (text deltas, most of a
      // stream) is not parsed. Every dialect names its usage field so, and its errors `"error"`.
      for (const ev of events) {
        if (answering && !ev.data.includes('usage') && !ev.data.includes('"error"')) continue;
        for (const ir of parser.push(ev)) {
          out.push(ir);
          if (isAnswerEvent(ir)) answering = true;
        }
      }
    } catch {
      parsing = false; // a malformed event is the client's to see; the bytes still flow
    }
    for (const ev of out) if (ev.kind === 'usage') usage = mergeUsage(usage, ev.usage);
    return out;
  };
  /** One upstream read: what goes to the client, and the IR events it completed. */
  const feed = (chunk: Uint8Array): { out: Uint8Array | string; events: IrEvent[] } => {
    if (!hide) return { out: chunk, events: parsing ? parse(sseEventsOf(chunk, lines, sse)) : [] };
    const events = sseEventsOf(chunk, lines, sse);
    return { out: reframe(events, hide), events: parse(events) };
  };
  /** The end of the stream: an event left without its blank line still goes out. */
  const tail = (): string => {
    if (!hide) return '';
    const last = [...lines.flush().map((l) => sse.line(l)), sse.end()].filter((e): e is SseEvent => e !== undefined);
    return reframe(last, hide);
  };

  const held: Array<Uint8Array | string> = [];
  for (;;) {
    const next = await it.next();
    if (next.done) break;
    const { out, events } = feed(next.value);
    held.push(out);
    const error = events.find((e) => e.kind === 'error');
    if (error?.kind === 'error') {
      await it.return?.();
      return { kind: 'error', error: error.error };
    }
    if (events.some(isAnswerEvent)) break;
  }

  async function* chunks(): AsyncGenerator<Uint8Array | string> {
    try {
      for (const out of held) if (out.length > 0) yield out;
      for (;;) {
        const next = await it.next();
        if (next.done) break;
        const { out } = feed(next.value);
        if (out.length > 0) yield out;
      }
      const last = tail();
      if (last !== '') yield last;
    } finally {
      onUsage(usage);
    }
  }
  return { kind: 'stream', chunks: chunks() };
}

function reframe(events: SseEvent[], hide: (ev: SseEvent) => boolean): string {
  let text = '';
  for (const ev of events) if (!hide(ev)) text += formatSse(ev);
  return text;
}
