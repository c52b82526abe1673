/**
 * IR events → Gemini SSE for a client (data-only `data: <GenerateContentResponse>` events,
 * as streamGenerateContent?alt=sse sends them).
 */
import { mergeUsage } from '../collect.js';
import type { SseEvent } from '../dialect.js';
import { assertNever, type IrEvent, type IrFinishReason, type IrUsage, type WriteContext } from '../ir.js';
import { jsonEvent } from '../../dialect-kit/json.js';
import type { StreamWriter } from '../../dialect-kit/stream-writer.js';
import { TRUNCATED_STREAM } from '../../dialect-kit/truncated.js';
import { googleStreamError } from './errors.js';
import { FINISH_TO_GOOGLE } from './maps.js';
import { functionCallPart, nonEmpty, responseObject } from './response-out.js';
import type { GooglePartOut } from './wire-request.js';

type WriterState = 'open' | 'done';

interface OpenCall {
  name: string;
  args: string;
  signature?: string;
}

/** Writes one chunk per IR event as it comes, except tool calls (see `tool_call_end`). */
export class GoogleStreamWriter implements StreamWriter {
  #state: WriterState = 'open';
  readonly #calls = new Map<string, OpenCall>();
  #usage: IrUsage = {};
  #finish: IrFinishReason | undefined;

  constructor(private readonly ctx: WriteContext) {}

  get done(): boolean {
    return this.#state === 'done';
  }

  write(ev: IrEvent): SseEvent[] {
    if (this.#state === 'done') return [];
    switch (ev.kind) {
      case 'start':
        return [];
      case 'text_delta':
        return ev.text === '' ? [] : [this.#chunk([{ text: ev.text }])];
      case 'thinking_delta':
        return ev.text === '' ? [] : [this.#chunk([{ text: ev.text, thought: true }])];
      case 'thinking_signature':
        return [this.#chunk([{ thought: true, text: '', thoughtSignature: ev.signature }])];
      case 'redacted_thinking':
        return []; // Gemini has no redacted thought to show.
      case 'tool_call_start':
        this.#calls.set(ev.id, { name: ev.name, args: '', ...(ev.signature !== undefined && { signature: ev.signature }) });
        return [];
      case 'tool_call_delta': {
        // Gemini carries args as one object, so a call can only be sent once its JSON is complete.
        const call = this.#calls.get(ev.id);
        if (call) call.args += ev.argumentsDelta;
        return [];
      }
      case 'tool_call_end': {
        const call = this.#calls.get(ev.id);
        if (!call) return [];
        this.#calls.delete(ev.id);
        return [this.#chunk([functionCallPart(ev.id, call.name, call.args, call.signature)])];
      }
      case 'usage':
        this.#usage = mergeUsage(this.#usage, ev.usage);
        return [];
      case 'finish':
        // Usage may still follow (OpenAI Chat sends it after the finish), so the last chunk waits for the end.
        this.#finish = ev.reason;
        return [];
      case 'error':
        this.#state = 'done';
        return googleStreamError(ev.error);
      default:
        return assertNever(ev);
    }
  }

  /** At the end of the IR stream: the last chunk with finishReason and usage, or an error if it never finished. */
  end(): SseEvent[] {
    if (this.#state === 'done') return [];
    this.#state = 'done';
    if (this.#finish === undefined) return googleStreamError(TRUNCATED_STREAM);
    // A call the upstream never closed is still sent whole rather than lost.
    const parts = [...this.#calls].map(([id, c]) => functionCallPart(id, c.name, c.args, c.signature));
    this.#calls.clear();
    return [jsonEvent(responseObject(this.ctx, nonEmpty(parts), FINISH_TO_GOOGLE[this.#finish], this.#usage))];
  }

  #chunk(parts: GooglePartOut[]): SseEvent {
    return jsonEvent(responseObject(this.ctx, parts));
  }
}
