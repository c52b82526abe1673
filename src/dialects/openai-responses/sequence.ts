import type { SseEvent } from '../dialect.js';
import type { WriteContext } from '../ir.js';
import type { ResponsesOutputItem } from './wire.js';

/** Numbers events and items for one response; shared with the tool-call item writer. */
export class ResponseSequence {
  private nextEvent = 0;
  private nextOutput = 0;
  readonly output: ResponsesOutputItem[] = [];

  constructor(readonly ctx: WriteContext) {}

  event(type: string, fields: Record<string, unknown>): SseEvent {
    return { event: type, data: JSON.stringify({ type, sequence_number: this.nextEvent++, ...fields }) };
  }

  /** Output indices are handed out when an item is added: the SDK appends items in that order. */
  outputIndex(): number {
    return this.nextOutput++;
  }

  itemDone(outputIndex: number, item: ResponsesOutputItem): SseEvent {
    this.output[outputIndex] = item;
    return this.event('response.output_item.done', { output_index: outputIndex, item });
  }
}
