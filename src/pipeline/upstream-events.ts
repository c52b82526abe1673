import type { Readable } from 'node:stream';
import { mergeUsage } from '../dialects/collect.js';
import type { SseEvent, StreamParser } from '../dialects/dialect.js';
import type { IrEvent, IrUsage } from '../dialects/ir.js';
import { LineDecoder } from '../upstream/sse/line-decoder.js';
import { SseDecoder } from '../upstream/sse/sse-decoder.js';
import { errorInfo, TRUNCATED } from './stream-guard.js';

/** The complete SSE events one chunk of bytes finishes, through a pair of push decoders. */
export function sseEventsOf(chunk: Uint8Array, lines: LineDecoder, sse: SseDecoder): SseEvent[] {
  const out: SseEvent[] = [];
  for (const line of lines.decode(chunk)) {
    const ev = sse.line(line);
    if (ev) out.push(ev);
  }
  return out;
}

/**
 * An upstream SSE body as IR events, one batch per upstream read (so the client gets one
 * write per read, not one async hop per event): bytes → lines → events → the dialect's
 * push parser, in one generator. It also guards the stream: a thrown error (cut
 * connection, malformed event) becomes an `error` event after the events before it; a
 * stream that stops with neither `finish` nor `error` is reported as truncated; the usage
 * seen is reported once at the end; and stopping at the terminal event drains the body
 * instead of destroying it (which would abort the socket and build an AbortError).
 */
export async function* upstreamEvents(body: Readable, parser: StreamParser, onUsage: (usage: IrUsage) => void): AsyncGenerator<IrEvent[]> {
  const lines = new LineDecoder();
  const sse = new SseDecoder();
  let usage: IrUsage = {};
  let finished = false;
  let failed = false;
  let batch: IrEvent[] = [];
  const take = (events: IrEvent[]) => {
    for (const ev of events) {
      if (failed) return;
      if (ev.kind === 'usage') usage = mergeUsage(usage, ev.usage);
      if (ev.kind === 'finish') finished = true;
      if (ev.kind === 'error') failed = true;
      batch.push(ev);
    }
  };
  const flush = () => {
    const out = batch;
    batch = [];
    return out;
  };
  try {
    for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>) {
      for (const ev of sseEventsOf(chunk, lines, sse)) {
        take(parser.push(ev));
        if (failed || parser.done) break;
      }
      if (batch.length > 0) yield flush();
      if (failed || parser.done) break;
    }
    if (!failed && !parser.done) {
      for (const line of lines.flush()) {
        const ev = sse.line(line);
        if (ev) take(parser.push(ev));
      }
      const last = sse.end();
      if (last) take(parser.push(last));
      take(parser.end());
    }
  } catch (err) {
    take([{ kind: 'error', error: errorInfo(err) }]);
  } finally {
    onUsage(usage);
    if (!body.readableEnded) body.resume();
  }
  if (!failed && !finished) batch.push(TRUNCATED);
  if (batch.length > 0) yield batch;
}
