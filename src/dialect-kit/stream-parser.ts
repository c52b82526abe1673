import type { SseEvent } from '../dialects/dialect.js';
import type { IrEvent } from '../dialects/ir.js';

/**
 * A dialect's upstream stream parser in push form: one SSE event in, the IR events it
 * completes out, synchronously. The pipeline uses it directly where it must watch a
 * stream while piping its bytes untouched (pass-through failover and usage).
 */
export interface StreamParser {
  push(ev: SseEvent): IrEvent[];
  /** The upstream closed: whatever the dialect derives from the end (never an invented finish). */
  end(): IrEvent[];
  /** The dialect's terminal event (or an error) was seen: nothing more will be produced. */
  readonly done: boolean;
}
