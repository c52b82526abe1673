import { mergeUsage } from '../dialects/collect.js';
import type { SseEvent } from '../dialects/dialect.js';
import type { IrErrorInfo, IrEvent, IrUsage, WriteContext } from '../dialects/ir.js';
import { TRUNCATED_STREAM } from './truncated.js';

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

export type IrFinishEvent = Extract<IrEvent, { kind: 'finish' }>;

/** The events that carry the answer itself, which each dialect writes in its own way. */
export type IrContentEvent = Exclude<IrEvent, { kind: 'usage' | 'finish' | 'error' }>;

/**
 * What every dialect's stream writer does alike: usage is merged as it comes, the finish
 * is held until the end of the IR stream (usage may still follow it: OpenAI Chat sends
 * usage after the finish), an error ends the stream with the dialect's error events, and
 * an end with no finish is the truncated-stream error. After that nothing more is written.
 * A dialect gives only its own events, through the `write*` hooks.
 */
export abstract class DialectStreamWriter implements StreamWriter {
  #done = false;
  #usage: IrUsage = {};
  #finish: IrFinishEvent | undefined;

  constructor(protected readonly ctx: WriteContext) {}

  get done(): boolean {
    return this.#done;
  }

  /** The usage so far, each usage event's fields replacing earlier ones. */
  protected get usage(): IrUsage {
    return this.#usage;
  }

  write(ev: IrEvent): SseEvent[] {
    if (this.#done) return [];
    switch (ev.kind) {
      case 'usage':
        this.#usage = mergeUsage(this.#usage, ev.usage);
        return [];
      case 'finish':
        this.#finish = ev;
        return this.writeFinish(ev);
      case 'error':
        return this.#fail(ev.error);
      default:
        return this.writeContent(ev);
    }
  }

  end(): SseEvent[] {
    if (this.#done) return [];
    if (this.#finish === undefined) return this.#fail(TRUNCATED_STREAM);
    this.#done = true;
    return this.writeClosing(this.#finish, this.#usage);
  }

  /** One event of the answer's content. */
  protected abstract writeContent(ev: IrContentEvent): SseEvent[];

  /** What goes out at the finish itself; each finish of the stream comes here, and the last one reaches `writeClosing`. */
  protected writeFinish(_finish: IrFinishEvent): SseEvent[] {
    return [];
  }

  /** The dialect's in-band error events, closing whatever is open: the last events of the stream. */
  protected abstract writeError(error: IrErrorInfo): SseEvent[];

  /** The last events of a stream that finished, once the IR stream is over. */
  protected abstract writeClosing(finish: IrFinishEvent, usage: IrUsage): SseEvent[];

  #fail(error: IrErrorInfo): SseEvent[] {
    this.#done = true;
    return this.writeError(error);
  }
}
