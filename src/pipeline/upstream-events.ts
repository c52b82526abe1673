import type { Readable } from 'node:stream';
import { mergeUsage } from '../dialects/collect.js';
import type { SseEvent, StreamParser } from '../dialects/dialect.js';
import type { IrEvent, IrUsage } from '../dialects/ir.js';
import { LineDecoder } from '../upstream/sse/line-decoder.js';
import { SseDecoder } from '../upstream/sse/sse-decoder.js';
import { errorInfo } from './stream-guard.js';

/** The complete SSE events one chunk of bytes finishes, through a pair of push decoders. */
export function sseEventsOf(chunk: Uint8Array, lines: LineDecoder, sse: SseDecoder): SseEvent[] {
  const out: SseEvent[] = [];
  for (const line of lines.decode(chunk)) {
    const ev = sse.line(line);
    if (ev) out.push(ev);
  }
  return out;
}

const TRUNCATED: IrEvent = { kind: 'error', error: { code: 'upstream_error', message: 'upstream stream ended before it finished', status: 502 } };

/**
 * An upstream SSE body as IR events, in one generator: bytes → lines → events → the
 * dialect's push parser. It also does what the guards did as separate layers: a thrown
 * error (cut connection, malformed event) becomes an `error` event; a stream that stops
 * with neither `finish` nor `error` is reported as truncated; the usage seen is reported
 * once at the end; and stopping at the terminal event drains the body instead of
 * destroying it (which would abort the socket and build an AbortError per request).
 */
export async function* upstreamEvents(body: Readable, parser: StreamParser, onUsage: (usage: IrUsage) => void): AsyncGenerator<IrEvent> {
  const lines = new LineDecoder();
  const sse = new SseDecoder();
  let usage: IrUsage = {};
  let finished = false;
  const track = (ev: IrEvent) => {
    if (ev.kind === 'usage') usage = mergeUsage(usage, ev.usage);
    if (ev.kind === 'finish') finished = true;
  };
  try {
    for await (const chunk of body.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>) {
      for (const ev of sseEventsOf(chunk, lines, sse)) {
        for (const ir of parser.push(ev)) {
          track(ir);
          yield ir;
          if (ir.kind === 'error') return;
        }
        if (parser.done) break;
      }
      if (parser.done) break;
    }
    if (!parser.done) {
      const last = [...lines.flush().map((l) => sse.line(l)), sse.end()].filter((e): e is SseEvent => e !== undefined);
      for (const ir of [...last.flatMap((e) => parser.push(e)), ...parser.end()]) {
        track(ir);
        yield ir;
        if (ir.kind === 'error') return;
      }
    }
  } catch (err) {
    yield { kind: 'error', error: errorInfo(err) };
    return;
  } finally {
    onUsage(usage);
    if (!body.readableEnded) body.resume();
  }
  if (!finished) yield TRUNCATED;
}
