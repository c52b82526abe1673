import { LineDecoder } from './line-decoder.js';

import type { SseEvent } from '../../dialects/dialect.js';

export type { SseEvent };

/**
 * Lines to events: skips `:` comments, splits a field at the first colon and strips one
 * leading space, joins `data:` lines with `\n`, dispatches on the blank line.
 */
export class SseDecoder {
  #event: string | undefined;
  #id: string | undefined;
  #data: string[] = [];

  /** Feeds one line; returns the event it completes, if any. */
  line(line: string): SseEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.#event = value;
        break;
      case 'data':
        this.#data.push(value);
        break;
      case 'id':
        this.#id = value;
        break;
      default:
        break; // `retry` and unknown fields are ignored, as the spec says.
    }
    return undefined;
  }

  /** At the end of the stream: an event whose blank line never came is still dispatched. */
  end(): SseEvent | undefined {
    return this.#dispatch();
  }

  #dispatch(): SseEvent | undefined {
    if (this.#data.length === 0 && this.#event === undefined) return undefined;
    const ev: SseEvent = { data: this.#data.join('\n') };
    if (this.#event !== undefined) ev.event = this.#event;
    if (this.#id !== undefined) ev.id = this.#id;
    this.#event = undefined;
    this.#data = [];
    return ev;
  }
}

/** Decodes a byte stream into SSE events, each yielded as soon as it is complete. */
export async function* decodeSse(body: AsyncIterable<Uint8Array>): AsyncGenerator<SseEvent> {
  const lines = new LineDecoder();
  const events = new SseDecoder();
  for await (const chunk of body) {
    for (const line of lines.decode(chunk)) {
      const ev = events.line(line);
      if (ev) yield ev;
    }
  }
  for (const line of lines.flush()) {
    const ev = events.line(line);
    if (ev) yield ev;
  }
  const last = events.end();
  if (last) yield last;
}
