import type { SseEvent, StreamParser } from '../dialects/dialect.js';
import { mergeUsage } from '../dialects/collect.js';
import type { IrErrorInfo, IrEvent, IrUsage } from '../dialects/ir.js';
import { byteWords, endsWithBlankLine, mentionsAny } from '../upstream/sse/byte-scan.js';
import { formatSse } from '../upstream/sse/format.js';
import { LineDecoder } from '../upstream/sse/line-decoder.js';
import { SseDecoder } from '../upstream/sse/sse-decoder.js';
import type { UpstreamBody } from '../upstream/upstream-body.js';
import { sseEventsOf } from './upstream-events.js';

/** Events that show the answer has begun: after one of them a failure can no longer fail over. */
export function isAnswerEvent(ev: IrEvent): boolean {
  return ev.kind !== 'start' && ev.kind !== 'usage' && ev.kind !== 'error';
}

/** What the watcher still reads once the answer runs: every dialect names its usage field so, and its errors `"error"`. */
const USAGE_OR_ERROR = byteWords('usage', '"error"');

export type WatchResult =
  | { kind: 'error'; error: IrErrorInfo }
  | { kind: 'stream'; chunks: AsyncIterableIterator<Uint8Array | string> };

/**
 * Watches a pass-through SSE stream without changing a byte of it. Its first bytes are
 * held until the first answer event, so an error before it can still fail over to another
 * key; after that, bytes are forwarded the moment they arrive while a push parser reads
 * along for the usage, reported once at the end. With `hide`, the events it names are
 * left out: the stream is then forwarded event by event (each event's data unchanged).
 * Whatever the client does not take is discarded, leaving the connection usable.
 */
export async function watchPassthrough(
  body: UpstreamBody,
  parser: StreamParser,
  onUsage: (usage: IrUsage) => void,
  hide?: (ev: SseEvent) => boolean,
  onError?: () => void,
): Promise<WatchResult> {
  const it = body[Symbol.asyncIterator]();
  const lines = new LineDecoder();
  const sse = new SseDecoder();
  let usage: IrUsage = {};
  let parsing = true;
  let answering = false;
  /** The held reads went to the client: an error from now on is one the client sees. */
  let forwarding = false;
  /** The bytes so far end with a blank line: the decoders hold nothing (no open line, event or UTF-8 character). */
  let atBoundary = true;
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
    for (const ev of out) {
      if (ev.kind === 'usage') usage = mergeUsage(usage, ev.usage);
      else if (ev.kind === 'error' && forwarding) onError?.();
    }
    return out;
  };
  /** One upstream read: what goes to the client, and the IR events it completed. */
  const feed = (chunk: Uint8Array): { out: Uint8Array | string; events: IrEvent[] } => {
    if (!hide) {
      if (!parsing) return { out: chunk, events: [] };
      // Once the answer runs, a read of whole events that mention neither usage nor an error
      // (most of a stream: text deltas) is not even decoded: parse() would skip its events.
      const whole = atBoundary;
      atBoundary = endsWithBlankLine(chunk);
      if (answering && whole && atBoundary && !mentionsAny(chunk, USAGE_OR_ERROR)) return { out: chunk, events: [] };
      return { out: chunk, events: parse(sseEventsOf(chunk, lines, sse)) };
    }
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
      body.discard();
      return { kind: 'error', error: error.error };
    }
    if (events.some(isAnswerEvent)) break;
  }

  forwarding = true;
  return {
    kind: 'stream',
    chunks: forward(held, it, (chunk) => feed(chunk).out, tail, () => {
      onUsage(usage);
      body.discard();
    }),
  };
}

/**
 * The held reads, then each further read as `feed` maps it, then the tail; `done` runs
 * once however the stream stops. A plain iterator on purpose: the same loop as an async
 * generator, handing the upstream's buffers on, made every young-generation GC keep about
 * 1 MB more alive at c=1 (pauses 1 → 3 ms; docs/PERFORMANCE.md), a plain iterator did not.
 */
function forward(
  held: Array<Uint8Array | string>,
  source: AsyncIterator<Uint8Array>,
  feed: (chunk: Uint8Array) => Uint8Array | string,
  tail: () => string,
  done: () => void,
): AsyncIterableIterator<Uint8Array | string> {
  let i = 0;
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    done();
  };
  const next = async (): Promise<IteratorResult<Uint8Array | string>> => {
    while (i < held.length) {
      const out = held[i++]!;
      if (out.length > 0) return { done: false, value: out };
    }
    try {
      while (!ended) {
        const read = await source.next();
        if (read.done) {
          const last = tail();
          end();
          if (last !== '') return { done: false, value: last };
          break;
        }
        const out = feed(read.value);
        if (out.length > 0) return { done: false, value: out };
      }
    } catch (err) {
      end();
      throw err;
    }
    return { done: true, value: undefined };
  };
  const it: AsyncIterableIterator<Uint8Array | string> = {
    next,
    return: () => {
      end();
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}

function reframe(events: SseEvent[], hide: (ev: SseEvent) => boolean): string {
  let text = '';
  for (const ev of events) if (!hide(ev)) text += formatSse(ev);
  return text;
}
