/**
 * Upstream Anthropic stream → IR events (https://docs.anthropic.com/en/api/messages-streaming).
 * Server tool blocks (server_tool_use, web_search_tool_result…) and citations have no IR
 * form and are skipped.
 */
import type { StreamParser } from '../../dialect-kit/stream-parser.js';
import { GatewayError } from '../../errors.js';
import type { SseEvent } from '../dialect.js';
import { assertNever, type IrEvent } from '../ir.js';
import { isRecord, parseEventJson } from '../../dialect-kit/json.js';
import { errorFromAnthropic } from './errors.js';
import { finishFromAnthropic } from './maps.js';
import { mergeAnthropicUsage, usageFromAnthropic } from './usage.js';
import {
  AnthropicStreamEventSchema,
  KNOWN_STREAM_EVENTS,
  type AnthropicContentBlock,
  type AnthropicStreamEvent,
  type AnthropicUsage,
} from './wire-response.js';

type ParserState = 'idle' | 'message' | 'finished' | 'done';

/** What an open content block index stands for in the IR. */
type OpenBlock =
  | { kind: 'text' }
  | { kind: 'thinking' }
  | { kind: 'tool'; id: string; initialInput: string | undefined; sawDelta: boolean }
  | { kind: 'skipped' };

/** A reducer over upstream events: each call returns the IR events that event makes known. */
export class AnthropicStreamParser {
  state: ParserState = 'idle';
  private readonly blocks = new Map<number, OpenBlock>();
  private usage: AnthropicUsage = {};

  onEvent(ev: AnthropicStreamEvent): IrEvent[] {
    switch (ev.type) {
      case 'message_start': {
        this.state = 'message';
        const msg = ev.message;
        const out: IrEvent[] = [{ kind: 'start', ...(msg.id ? { id: msg.id } : {}), ...(msg.model ? { model: msg.model } : {}) }];
        return msg.usage ? [...out, this.addUsage(msg.usage)] : out;
      }
      case 'content_block_start':
        return this.startBlock(ev.index, ev.content_block);
      case 'content_block_delta':
        return this.delta(ev.index, ev.delta);
      case 'content_block_stop':
        return this.stopBlock(ev.index);
      case 'message_delta': {
        const out: IrEvent[] = ev.usage ? [this.addUsage(ev.usage)] : [];
        const reason = ev.delta.stop_reason;
        if (!reason) return out;
        this.state = 'finished';
        const stopSequence = ev.delta.stop_sequence ? { stopSequence: ev.delta.stop_sequence } : {};
        return [...out, { kind: 'finish', reason: finishFromAnthropic(reason), ...stopSequence }];
      }
      case 'message_stop':
        return this.end();
      case 'ping':
        return [];
      case 'error':
        this.state = 'done';
        return [{ kind: 'error', error: errorFromAnthropic(ev.error?.type ?? 'api_error', ev.error?.message ?? 'upstream error') }];
      default:
        return assertNever(ev);
    }
  }

  private addUsage(usage: AnthropicUsage): IrEvent {
    this.usage = mergeAnthropicUsage(this.usage, usage);
    return { kind: 'usage', usage: usageFromAnthropic(this.usage) };
  }

  private startBlock(index: number, block: AnthropicContentBlock): IrEvent[] {
    switch (block.type) {
      case 'text':
        this.blocks.set(index, { kind: 'text' });
        return block.text ? [{ kind: 'text_delta', text: block.text }] : [];
      case 'thinking': {
        this.blocks.set(index, { kind: 'thinking' });
        const out: IrEvent[] = block.thinking ? [{ kind: 'thinking_delta', text: block.thinking }] : [];
        return block.signature ? [...out, { kind: 'thinking_signature', signature: block.signature }] : out;
      }
      case 'redacted_thinking':
        this.blocks.set(index, { kind: 'skipped' });
        return [{ kind: 'redacted_thinking', data: block.data ?? '' }];
      case 'tool_use': {
        const id = block.id ?? `toolu_${index}`;
        const initialInput = isRecord(block.input) && Object.keys(block.input).length > 0 ? JSON.stringify(block.input) : undefined;
        this.blocks.set(index, { kind: 'tool', id, initialInput, sawDelta: false });
        return [{ kind: 'tool_call_start', id, name: block.name ?? '' }];
      }
      default:
        this.blocks.set(index, { kind: 'skipped' });
        return [];
    }
  }

  private delta(index: number, delta: Extract<AnthropicStreamEvent, { type: 'content_block_delta' }>['delta']): IrEvent[] {
    const block = this.blocks.get(index);
    if (!block) return [];
    if (delta.type === 'text_delta' && block.kind === 'text' && delta.text) return [{ kind: 'text_delta', text: delta.text }];
    if (delta.type === 'thinking_delta' && block.kind === 'thinking' && delta.thinking) {
      return [{ kind: 'thinking_delta', text: delta.thinking }];
    }
    if (delta.type === 'signature_delta' && block.kind === 'thinking' && delta.signature) {
      return [{ kind: 'thinking_signature', signature: delta.signature }];
    }
    if (delta.type === 'input_json_delta' && block.kind === 'tool' && delta.partial_json) {
      block.sawDelta = true;
      return [{ kind: 'tool_call_delta', id: block.id, argumentsDelta: delta.partial_json }];
    }
    return [];
  }

  private stopBlock(index: number): IrEvent[] {
    const block = this.blocks.get(index);
    this.blocks.delete(index);
    if (block?.kind !== 'tool') return [];
    // A block that arrived whole (input at start, no deltas) still yields its arguments.
    const pending: IrEvent[] =
      !block.sawDelta && block.initialInput ? [{ kind: 'tool_call_delta', id: block.id, argumentsDelta: block.initialInput }] : [];
    return [...pending, { kind: 'tool_call_end', id: block.id }];
  }

  /** message_stop: close what the upstream left open, and finish if it never said why. */
  private end(): IrEvent[] {
    const out: IrEvent[] = [];
    for (const index of [...this.blocks.keys()]) out.push(...this.stopBlock(index));
    if (this.state !== 'finished') out.push({ kind: 'finish', reason: 'stop' });
    this.state = 'done';
    return out;
  }
}

/** Push form of the parser (dialect-kit/stream-parser.ts); a stream cut before message_stop yields no finish. */
export function createStreamParser(): StreamParser {
  const parser = new AnthropicStreamParser();
  return {
    push: (sse) => {
      const ev = decodeEvent(sse);
      return ev ? parser.onEvent(ev) : [];
    },
    end: () => [],
    get done() {
      return parser.state === 'done';
    },
  };
}

function decodeEvent(sse: SseEvent): AnthropicStreamEvent | undefined {
  if (sse.data.trim() === '') return undefined;
  const json = parseEventJson(sse);
  if (!isRecord(json) || typeof json.type !== 'string' || !KNOWN_STREAM_EVENTS.has(json.type)) return undefined;
  const parsed = AnthropicStreamEventSchema.safeParse(json);
  if (!parsed.success) throw new GatewayError('upstream_error', `upstream sent a malformed ${json.type} event`, { cause: parsed.error });
  return parsed.data;
}
