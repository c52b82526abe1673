import type { Json } from './json.js';

/** One SSE event (`event:` + `data:` lines) or one `:` comment line. */
export type Frame = { kind: 'event'; event?: string; data: string } | { kind: 'comment'; text: string };

export type MidStream = 'error-event' | 'cut' | 'stall' | undefined;

export interface StreamBody {
  frames: Frame[];
  /** Destroy the socket after the frames instead of ending the response. */
  cut: boolean;
  /** Send nothing more after the frames, keeping the connection open until the client closes it. */
  stall?: boolean;
}

export function formatFrame(frame: Frame, eol: string): string {
  if (frame.kind === 'comment') return `: ${frame.text}${eol}${eol}`;
  const head = frame.event === undefined ? '' : `event: ${frame.event}${eol}`;
  return `${head}data: ${frame.data}${eol}${eol}`;
}

export interface SinkOptions {
  midStream: MidStream;
  /** Keep-alive frame, emitted by ping() only when pings are on. */
  ping: Frame | undefined;
  /** Halt at the first text delta, or at the first delta of any kind when there is no text. */
  haltOn: 'text' | 'any';
  /** Responses numbers every event with an increasing `sequence_number`. */
  sequence: boolean;
}

/**
 * Collects a stream's frames. With a midStream scenario it halts after the first
 * text delta and ignores what the dialect pushes afterwards, so each dialect writes
 * its stream once, straight through, and the fault is applied here.
 */
export class FrameSink {
  readonly #frames: Frame[] = [];
  #state: 'open' | 'halted' = 'open';
  #seq = 0;

  constructor(private readonly options: SinkOptions) {}

  get halted(): boolean {
    return this.#state === 'halted';
  }

  event(event: string | undefined, data: Json): void {
    if (this.#state === 'halted') return;
    this.#append(event, data);
  }

  /** A content delta; may trigger the midStream fault. */
  delta(event: string | undefined, data: Json, kind: 'text' | 'other'): void {
    if (this.#state === 'halted') return;
    this.#append(event, data);
    const trigger = kind === 'text' || this.options.haltOn === 'any';
    if (this.options.midStream !== undefined && trigger) this.#state = 'halted';
  }

  ping(): void {
    if (this.#state === 'open' && this.options.ping !== undefined) this.#frames.push(this.options.ping);
  }

  /** A literal data line such as OpenAI's `[DONE]`. */
  raw(data: string): void {
    if (this.#state === 'open') this.#frames.push({ kind: 'event', data });
  }

  /** Closes the stream; on a halted 'error-event' stream appends the provider's error event. */
  end(errorEvent: () => { event?: string; data: Json }): StreamBody {
    if (this.#state === 'open') return { frames: this.#frames, cut: false };
    if (this.options.midStream === 'cut') return { frames: this.#frames, cut: true };
    if (this.options.midStream === 'stall') return { frames: this.#frames, cut: false, stall: true };
    const err = errorEvent();
    this.#append(err.event, err.data);
    return { frames: this.#frames, cut: false };
  }

  #append(event: string | undefined, data: Json): void {
    if (this.options.sequence) data.sequence_number = this.#seq++;
    this.#frames.push({ kind: 'event', event, data: JSON.stringify(data) });
  }
}
