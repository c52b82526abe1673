/** IR events → the client's echo stream: a `text` event per piece, `done` at the end. */
import { mergeUsage } from '../../../src/dialects/collect.js';
import type { SseEvent } from '../../../src/dialects/dialect.js';
import { assertNever, type IrEvent, type IrFinishReason, type IrUsage } from '../../../src/dialects/ir.js';
import { jsonEvent } from '../../../src/dialect-kit/json.js';
import type { StreamWriter } from '../../../src/dialect-kit/stream-writer.js';
import { TRUNCATED_STREAM } from '../../../src/dialect-kit/truncated.js';
import { echoStreamError } from './errors.js';
import { finishToEcho } from './maps.js';
import { usageToEcho } from './usage.js';

export class EchoStreamWriter implements StreamWriter {
  #done = false;
  #usage: IrUsage = {};
  #finish: IrFinishReason | undefined;

  get done(): boolean {
    return this.#done;
  }

  write(ev: IrEvent): SseEvent[] {
    switch (ev.kind) {
      case 'text_delta':
        return ev.text === '' ? [] : [jsonEvent({ text: ev.text }, 'text')];
      case 'usage':
        this.#usage = mergeUsage(this.#usage, ev.usage);
        return [];
      case 'finish':
        this.#finish = ev.reason;
        return [];
      case 'error':
        this.#done = true;
        return echoStreamError(ev.error);
      case 'start':
      case 'thinking_delta':
      case 'thinking_signature':
      case 'redacted_thinking':
      case 'tool_call_start':
      case 'tool_call_delta':
      case 'tool_call_end':
        return []; // Echo carries text only.
      default:
        return assertNever(ev);
    }
  }

  end(): SseEvent[] {
    if (this.#done) return [];
    this.#done = true;
    if (this.#finish === undefined) return echoStreamError(TRUNCATED_STREAM);
    return [jsonEvent({ stop: finishToEcho(this.#finish), usage: usageToEcho(this.#usage) }, 'done')];
  }
}
