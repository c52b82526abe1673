/**
 * Upstream Responses SSE → IR events (a whole response object is replayed through the same
 * parser: response-in.ts).
 * Spec: https://platform.openai.com/docs/api-reference/responses-streaming
 */
import type { StreamParser } from '../../dialect-kit/stream-parser.js';
import { freeformArguments } from '../../dialect-kit/freeform-tool.js';
import type { IrEvent, IrFinishReason } from '../ir.js';
import { isRecord, parseEventJson } from '../../dialect-kit/json.js';
import { errorFromWire } from './errors.js';
import { finishFromIncompleteReason } from './maps.js';
import { usageFromWire } from './usage.js';

type Wire = Record<string, unknown>;

/** A function or custom tool call between its output_item.added and output_item.done. */
interface OpenCall {
  callId: string;
  custom: boolean;
  sawDelta: boolean;
  /** A custom call's freeform input, buffered: the IR wants it as one `{"input": …}` JSON text. */
  input: string;
}

type ParserState = 'streaming' | 'done';

/**
 * Folds wire events into IR events, one `push` per event. Items are keyed by item id
 * (output index when an upstream leaves the id out). Items whose content arrives only in
 * `output_item.done` (and every item of a non-stream response) are emitted from the done item.
 */
export class ResponsesStreamParser {
  private state: ParserState = 'streaming';
  private readonly calls = new Map<string, OpenCall>();
  /** message / reasoning items whose content already came as deltas. */
  private readonly streamed = new Set<string>();
  private callCount = 0;

  get finished(): boolean {
    return this.state === 'done';
  }

  push(data: unknown, eventName?: string): IrEvent[] {
    if (this.state === 'done' || !isRecord(data)) return [];
    const type = typeof data.type === 'string' ? data.type : eventName;
    const key = itemKey(data.item_id, data.output_index);
    const delta = typeof data.delta === 'string' ? data.delta : '';
    // Wire event names are open-ended strings: unknown ones (in_progress, *.done, annotations…) carry nothing new.
    switch (type) {
      case 'response.created': {
        const res = record(data.response);
        return [{ kind: 'start', ...optional('id', res.id), ...optional('model', res.model) }];
      }
      case 'response.output_item.added':
        return this.itemAdded(record(data.item), data.output_index);
      case 'response.output_item.done':
        return this.itemDone(record(data.item), data.output_index);
      case 'response.output_text.delta':
      case 'response.refusal.delta':
        this.markStreamed(key, data.output_index);
        return delta === '' ? [] : [{ kind: 'text_delta', text: delta }];
      case 'response.reasoning_summary_text.delta':
      case 'response.reasoning_text.delta':
        this.markStreamed(key, data.output_index);
        return [{ kind: 'thinking_delta', text: delta, ...optional('itemId', data.item_id) }];
      case 'response.reasoning_summary_part.added':
        // Summary parts are paragraphs of one thought; the IR keeps them as one text.
        if (typeof data.summary_index !== 'number' || data.summary_index === 0) return [];
        this.markStreamed(key, data.output_index);
        return [{ kind: 'thinking_delta', text: '\n\n', ...optional('itemId', data.item_id) }];
      case 'response.function_call_arguments.delta':
        return this.argumentsDelta(key, delta);
      case 'response.custom_tool_call_input.delta': {
        const call = this.calls.get(key);
        if (call) call.input += delta;
        return [];
      }
      case 'response.completed':
      case 'response.incomplete':
        return this.finish(record(data.response), type === 'response.incomplete');
      case 'response.failed': {
        const error = record(record(data.response).error);
        return this.fail(error.code, error.message ?? 'upstream response failed');
      }
      case 'error': {
        const nested = record(data.error);
        return this.fail(data.code ?? nested.code, data.message ?? nested.message);
      }
      default:
        return [];
    }
  }

  private itemAdded(item: Wire, outputIndex: unknown): IrEvent[] {
    if (item.type !== 'function_call' && item.type !== 'custom_tool_call') return [];
    return this.startCall(itemKey(item.id, outputIndex), item);
  }

  private startCall(key: string, item: Wire): IrEvent[] {
    const callId = typeof item.call_id === 'string' ? item.call_id : key;
    const name = typeof item.name === 'string' ? item.name : '';
    this.calls.set(key, { callId, custom: item.type === 'custom_tool_call', sawDelta: false, input: '' });
    this.callCount += 1;
    return [{ kind: 'tool_call_start', id: callId, name }];
  }

  private argumentsDelta(key: string, delta: string): IrEvent[] {
    const call = this.calls.get(key);
    if (!call || delta === '') return [];
    call.sawDelta = true;
    return [{ kind: 'tool_call_delta', id: call.callId, argumentsDelta: delta }];
  }

  private itemDone(item: Wire, outputIndex: unknown): IrEvent[] {
    const key = itemKey(item.id, outputIndex);
    switch (item.type) {
      case 'function_call':
      case 'custom_tool_call':
        return this.endCall(key, item);
      case 'reasoning':
        return this.reasoningDone(item, this.wasStreamed(key, outputIndex));
      case 'message':
        return this.wasStreamed(key, outputIndex) ? [] : messageText(item);
      default:
        return [];
    }
  }

  private endCall(key: string, item: Wire): IrEvent[] {
    const out = this.calls.has(key) ? [] : this.startCall(key, item);
    const call = this.calls.get(key);
    if (!call) return out;
    this.calls.delete(key);
    const args = call.custom
      ? freeformArguments(typeof item.input === 'string' ? item.input : call.input)
      : !call.sawDelta && typeof item.arguments === 'string'
        ? item.arguments
        : '';
    if (args !== '') out.push({ kind: 'tool_call_delta', id: call.callId, argumentsDelta: args });
    out.push({ kind: 'tool_call_end', id: call.callId });
    return out;
  }

  /** The encrypted content signs the thought; a thought with no text still needs its part to exist first. */
  private reasoningDone(item: Wire, streamed: boolean): IrEvent[] {
    const out: IrEvent[] = [];
    const signature = typeof item.encrypted_content === 'string' ? item.encrypted_content : undefined;
    const itemId = optional('itemId', item.id);
    if (!streamed) {
      const text = reasoningText(item);
      if (text !== '' || signature) out.push({ kind: 'thinking_delta', text, ...itemId });
    }
    if (signature) out.push({ kind: 'thinking_signature', signature });
    return out;
  }

  /** Streamed content is remembered by id and by index, so a done item without its id still matches. */
  private markStreamed(key: string, outputIndex: unknown): void {
    this.streamed.add(key);
    this.streamed.add(indexKey(outputIndex));
  }

  private wasStreamed(key: string, outputIndex: unknown): boolean {
    return this.streamed.has(key) || this.streamed.has(indexKey(outputIndex));
  }

  private finish(res: Wire, incomplete: boolean): IrEvent[] {
    this.state = 'done';
    const out: IrEvent[] = [];
    const usage = usageFromWire(res.usage);
    if (usage) out.push({ kind: 'usage', usage });
    const reason: IrFinishReason = incomplete
      ? finishFromIncompleteReason(record(res.incomplete_details).reason)
      : this.callCount > 0
        ? 'tool_calls'
        : 'stop';
    out.push({ kind: 'finish', reason });
    return out;
  }

  private fail(code: unknown, message: unknown): IrEvent[] {
    this.state = 'done';
    return [{ kind: 'error', error: errorFromWire(code, message) }];
  }
}

/** Push form of the parser (dialect-kit/stream-parser.ts); a stray `[DONE]` is ignored. */
export function createResponsesStreamParser(): StreamParser {
  const parser = new ResponsesStreamParser();
  return {
    push: (ev) => (ev.data.trim() === '[DONE]' ? [] : parser.push(parseEventJson(ev), ev.event)),
    end: () => [],
    get done() {
      return parser.finished;
    },
  };
}

function itemKey(itemId: unknown, outputIndex: unknown): string {
  return typeof itemId === 'string' ? itemId : indexKey(outputIndex);
}

function indexKey(outputIndex: unknown): string {
  return `#${String(outputIndex)}`;
}

function record(value: unknown): Wire {
  return isRecord(value) ? value : {};
}

/** `{[key]: value}` when value is a non-empty string, else nothing (optional IR fields stay absent). */
function optional<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' && value !== '' ? ({ [key]: value } as Partial<Record<K, string>>) : {};
}

function reasoningText(item: Wire): string {
  const summary = texts(item.summary);
  return (summary.length > 0 ? summary : texts(item.content)).join('\n\n');
}

function messageText(item: Wire): IrEvent[] {
  const parts = Array.isArray(item.content) ? item.content.filter(isRecord) : [];
  return parts.flatMap((p): IrEvent[] => {
    const text = p.type === 'refusal' ? p.refusal : p.text;
    return typeof text === 'string' && text !== '' ? [{ kind: 'text_delta', text }] : [];
  });
}

function texts(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).flatMap((p) => (typeof p.text === 'string' ? [p.text] : []));
}
