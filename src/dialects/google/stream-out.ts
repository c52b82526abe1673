/**
 * IR events → Gemini SSE for a client (data-only `data: <GenerateContentResponse>` events,
 * as streamGenerateContent?alt=sse sends them).
 */
import type { SseEvent } from '../dialect.js';
import { assertNever, type IrErrorInfo, type IrUsage } from '../ir.js';
import { jsonEvent } from '../../dialect-kit/json.js';
import { DialectStreamWriter, type IrContentEvent, type IrFinishEvent } from '../../dialect-kit/stream-writer.js';
import { googleStreamError } from './errors.js';
import { FINISH_TO_GOOGLE } from './maps.js';
import { functionCallPart, nonEmpty, responseObject } from './response-out.js';
import type { GooglePartOut } from './wire-request.js';

interface OpenCall {
  name: string;
  args: string;
  signature?: string;
}

/** Writes one chunk per IR event as it comes, except tool calls (see `tool_call_end`). */
export class GoogleStreamWriter extends DialectStreamWriter {
  readonly #calls = new Map<string, OpenCall>();

  protected override writeContent(ev: IrContentEvent): SseEvent[] {
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
      default:
        return assertNever(ev);
    }
  }

  protected override writeError(error: IrErrorInfo): SseEvent[] {
    return googleStreamError(error);
  }

  /** The last chunk, with finishReason and usage. */
  protected override writeClosing(finish: IrFinishEvent, usage: IrUsage): SseEvent[] {
    // A call the upstream never closed is still sent whole rather than lost.
    const parts = [...this.#calls].map(([id, c]) => functionCallPart(id, c.name, c.args, c.signature));
    this.#calls.clear();
    return [jsonEvent(responseObject(this.ctx, nonEmpty(parts), FINISH_TO_GOOGLE[finish.reason], usage))];
  }

  #chunk(parts: GooglePartOut[]): SseEvent {
    return jsonEvent(responseObject(this.ctx, parts));
  }
}
