import type { SseEvent, StreamParser } from '../dialects/dialect.js';
import { mergeUsage } from '../dialects/collect.js';
import type { IrErrorInfo, IrEvent, IrUsage } from '../dialects/ir.js';
import { byteWords, endsWithBlankLine, mentionsAny } from '../upstream/sse/byte-scan.js';
import { formatSse } from '../upstream/sse/format.js';
import { LineDecoder } from '../upstream/sse/line-decoder.js';
import { SseDecoder } from '../upstream/sse/sse-decoder.js';
import type { UpstreamBody } from '../upstream/upstream-body.js';
import { answerChunks, holdUntilAnswer, isAnswerEvent } from './hold-until-answer.js';
import { sseEventsOf } from './upstream-events.js';

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

  const start = await holdUntilAnswer(body, async () => {
    const next = await it.next();
    return next.done ? undefined : feed(next.value);
  });
  if ('error' in start) return { kind: 'error', error: start.error };

  forwarding = true;
  const { held } = start;
  let i = 0;
  const step = async (): Promise<{ value: Uint8Array | string; last: boolean }> => {
    if (i < held.length) return { value: held[i++]!, last: false };
    const read = await it.next();
    return read.done ? { value: tail(), last: true } : { value: feed(read.value).out, last: false };
  };
  return {
    kind: 'stream',
    chunks: answerChunks(step, () => {
      onUsage(usage);
      body.discard();
    }),
  };
}

function reframe(events: SseEvent[], hide: (ev: SseEvent) => boolean): string {
  let text = '';
  for (const ev of events) if (!hide(ev)) text += formatSse(ev);
  return text;
}
