/**
 * Gemini GenerateContentResponse chunks → IR events
 * (https://ai.google.dev/api/generate-content#v1beta.GenerateContentResponse).
 * Every `data:` event is one whole response chunk; the stream has no terminal event, so
 * the last chunk's finishReason is the finish and a later chunk may still carry usage.
 */
import type { StreamParser } from '../../dialect-kit/stream-parser.js';
import type { IrEvent, IrFinishReason } from '../ir.js';
import { isRecord, parseEventJson } from '../../dialect-kit/json.js';
import { errorInfo } from './errors.js';
import { FINISH_FROM_GOOGLE } from './maps.js';
import { usageFromMetadata } from './usage.js';

type Json = Record<string, unknown>;
type ReaderState = 'idle' | 'streaming' | 'finished' | 'failed';

const rec = (v: unknown): Json | undefined => (isRecord(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** Folds response chunks one at a time; each push returns the IR events that chunk adds. */
export class GoogleResponseReader {
  #state: ReaderState = 'idle';
  #responseId = '';
  #calls = 0;
  #lastUsage = '';

  get state(): ReaderState {
    return this.#state;
  }

  push(chunk: unknown): IrEvent[] {
    if (this.#state === 'failed') return [];
    const json = rec(chunk);
    if (json === undefined) return [];
    const error = rec(json.error);
    if (error !== undefined) {
      this.#state = 'failed';
      return [{ kind: 'error', error: errorInfo(error) }];
    }
    const out: IrEvent[] = [];
    if (this.#state === 'idle') {
      this.#state = 'streaming';
      this.#responseId = (str(json.responseId) ?? '').replace(/[^A-Za-z0-9_-]/g, '');
      out.push({ kind: 'start', id: str(json.responseId), model: str(json.modelVersion) });
    }
    const candidate = Array.isArray(json.candidates) ? rec(json.candidates[0]) : undefined;
    const parts = rec(candidate?.content)?.parts;
    // Usage first: Gemini counts the prompt on its first chunk, before any content, and a
    // writer that names input tokens at the start (Anthropic's message_start) can use it.
    this.#usage(rec(json.usageMetadata), out);
    // Content after the finish would follow a closed answer; only usage still counts then.
    if (Array.isArray(parts) && this.#state === 'streaming') for (const part of parts) this.#part(rec(part), out);
    this.#finish(candidate, rec(json.promptFeedback), out);
    return out;
  }

  #part(part: Json | undefined, out: IrEvent[]): void {
    if (part === undefined) return;
    const signature = str(part.thoughtSignature);
    const call = rec(part.functionCall);
    if (call !== undefined) {
      const n = this.#calls++;
      // Gemini ids are optional; the response id keeps generated ones unique across turns.
      const id = str(call.id) ?? (this.#responseId ? `call_${this.#responseId}_${n}` : `call_${n}`);
      out.push({ kind: 'tool_call_start', id, name: str(call.name) ?? '', ...(signature && { signature }) });
      out.push({ kind: 'tool_call_delta', id, argumentsDelta: JSON.stringify(rec(call.args) ?? {}) });
      out.push({ kind: 'tool_call_end', id });
      return;
    }
    const text = str(part.text);
    if (part.thought === true) {
      if (text) out.push({ kind: 'thinking_delta', text });
      if (signature) out.push({ kind: 'thinking_signature', signature });
    } else if (text) {
      // A signature on a plain text part is optional to send back and has no IR home; it is dropped.
      out.push({ kind: 'text_delta', text });
    }
  }

  #usage(meta: Json | undefined, out: IrEvent[]): void {
    if (meta === undefined) return;
    const usage = usageFromMetadata(meta);
    const key = JSON.stringify(usage);
    // Gemini repeats the cumulative usage on every chunk; only a change is news.
    if (key === '{}' || key === this.#lastUsage) return;
    this.#lastUsage = key;
    out.push({ kind: 'usage', usage });
  }

  #finish(candidate: Json | undefined, feedback: Json | undefined, out: IrEvent[]): void {
    if (this.#state !== 'streaming') return;
    const reason = str(candidate?.finishReason);
    if (reason !== undefined) {
      this.#state = 'finished';
      out.push({ kind: 'finish', reason: this.#reason(reason) });
    } else if (candidate === undefined && str(feedback?.blockReason) !== undefined) {
      this.#state = 'finished';
      out.push({ kind: 'finish', reason: 'content_filter' });
    }
  }

  #reason(reason: string): IrFinishReason {
    const mapped = FINISH_FROM_GOOGLE[reason] ?? 'stop';
    return mapped === 'stop' && reason === 'STOP' && this.#calls > 0 ? 'tool_calls' : mapped;
  }

  /** Events for a whole answer that carried no finishReason at all. */
  end(): IrEvent[] {
    if (this.#state !== 'streaming') return [];
    this.#state = 'finished';
    return [{ kind: 'finish', reason: this.#calls > 0 ? 'tool_calls' : 'stop' }];
  }
}

/**
 * Push form of the reader (dialect-kit/stream-parser.ts). Gemini streams have no terminal
 * event (usage may follow the finishReason chunk), so only an error ends them early.
 */
export function createGoogleStreamParser(): StreamParser {
  const reader = new GoogleResponseReader();
  return {
    push: (ev) => {
      if (ev.data.trim() === '' || ev.data === '[DONE]') return [];
      const json = parseEventJson(ev);
      const out: IrEvent[] = [];
      // Without alt=sse some servers stream a JSON array; a chunk may then be an array of responses.
      for (const chunk of Array.isArray(json) ? json : [json]) {
        out.push(...reader.push(chunk));
        if (reader.state === 'failed') break;
      }
      return out;
    },
    end: () => [],
    get done() {
      return reader.state === 'failed';
    },
  };
}
