import { mergeUsage } from '../dialects/collect.js';
import type { SseEvent, StreamParser } from '../dialects/dialect.js';
import type { IrEvent, IrUsage } from '../dialects/ir.js';
import { LineDecoder } from '../upstream/sse/line-decoder.js';
import { SseDecoder } from '../upstream/sse/sse-decoder.js';
import type { UpstreamBody } from '../upstream/upstream-body.js';
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
 * An upstream SSE body read one chunk at a time, synchronously: bytes → lines → events →
 * the dialect's push parser → one batch of IR events per read. It also guards the stream:
 * a malformed event (or a failure the caller passes to `fail`) becomes an `error` event
 * after the events before it, nothing follows an error, and a stream that ends with
 * neither `finish` nor `error` is reported as truncated. `usage` is all the usage seen.
 */
export class UpstreamReader {
  readonly #lines = new LineDecoder();
  readonly #sse = new SseDecoder();
  usage: IrUsage = {};
  #finished = false;
  #failed = false;

  constructor(private readonly parser: StreamParser) {}

  /** Nothing more is read: the answer ended (terminal event) or failed. */
  get stopped(): boolean {
    return this.#failed || this.parser.done;
  }

  /** The IR events one upstream read completes ([] when it completes none). */
  read(chunk: Uint8Array): IrEvent[] {
    const batch: IrEvent[] = [];
    try {
      for (const ev of sseEventsOf(chunk, this.#lines, this.#sse)) {
        this.#take(batch, this.parser.push(ev));
        if (this.stopped) break;
      }
    } catch (err) {
      this.#take(batch, [{ kind: 'error', error: errorInfo(err) }]);
    }
    return batch;
  }

  /** The upstream body ended: a last event left without its blank line, then the verdict. */
  end(): IrEvent[] {
    const batch: IrEvent[] = [];
    if (!this.stopped) {
      try {
        for (const line of this.#lines.flush()) {
          const ev = this.#sse.line(line);
          if (ev) this.#take(batch, this.parser.push(ev));
        }
        const last = this.#sse.end();
        if (last) this.#take(batch, this.parser.push(last));
        this.#take(batch, this.parser.end());
      } catch (err) {
        this.#take(batch, [{ kind: 'error', error: errorInfo(err) }]);
      }
    }
    if (!this.#failed && !this.#finished) batch.push(TRUNCATED);
    return batch;
  }

  /** Reading the body failed (cut connection, timeout): the error, unless the stream already failed. */
  fail(err: unknown): IrEvent[] {
    const batch: IrEvent[] = [];
    this.#take(batch, [{ kind: 'error', error: errorInfo(err) }]);
    return batch;
  }

  #take(batch: IrEvent[], events: IrEvent[]): void {
    for (const ev of events) {
      if (this.#failed) return;
      if (ev.kind === 'usage') this.usage = mergeUsage(this.usage, ev.usage);
      if (ev.kind === 'finish') this.#finished = true;
      if (ev.kind === 'error') this.#failed = true;
      batch.push(ev);
    }
  }
}

/**
 * A whole upstream SSE body as IR batches, one per read (for answers collected whole).
 * The usage seen is reported once at the end; stopping at the terminal event drains the
 * body instead of destroying it (which would abort the socket and build an AbortError).
 */
export async function* upstreamEvents(body: UpstreamBody, parser: StreamParser, onUsage: (usage: IrUsage) => void): AsyncGenerator<IrEvent[]> {
  const reader = new UpstreamReader(parser);
  let last: IrEvent[];
  try {
    for await (const chunk of body) {
      const batch = reader.read(chunk);
      if (batch.length > 0) yield batch;
      if (reader.stopped) break;
    }
    last = reader.end();
  } catch (err) {
    last = reader.fail(err);
  } finally {
    onUsage(reader.usage);
    body.discard();
  }
  if (last.length > 0) yield last;
}
