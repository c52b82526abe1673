import type { SseEvent } from '../dialects/dialect.js';
import type { IrEvent } from '../dialects/ir.js';

/**
 * A dialect's client stream writer in push form: one IR event in, the SSE events it
 * completes out, synchronously. The pipeline feeds it every IR event one upstream read
 * made known and writes what comes out as one chunk (no async hop per event).
 */
export interface StreamWriter {
  write(ev: IrEvent): SseEvent[];
  /** The IR stream is over: the closing events, or an error event if it never finished. */
  end(): SseEvent[];
  /** An error (or the dialect's terminal event) was written: nothing more will be. */
  readonly done: boolean;
}
