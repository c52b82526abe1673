/**
 * IR → client Anthropic Messages, as SSE (https://docs.anthropic.com/en/api/messages-streaming)
 * or one Message object (https://docs.anthropic.com/en/api/messages#response).
 * Stream: message_start, then content_block_start / _delta / _stop per block with rising
 * indices, then message_delta and message_stop once the IR stream has ended (usage may
 * follow the finish, so the terminal events wait for the end).
 */
import type { SseEvent, WireObject } from '../dialect.js';
import { assertNever, type IrErrorInfo, type IrUsage } from '../ir.js';
import { packReasoningSignature } from '../../dialect-kit/carried-reasoning.js';
import { jsonEvent } from '../../dialect-kit/json.js';
import { DialectStreamWriter, type IrContentEvent, type IrFinishEvent } from '../../dialect-kit/stream-writer.js';
import { anthropicStreamError } from './errors.js';
import { finishToAnthropic } from './maps.js';
import { usageToAnthropic } from './usage.js';
import type { AnthropicMessageOut } from './wire-response.js';

/** idle: nothing sent; streaming: message_start sent. */
type WriterState = 'idle' | 'streaming';

/** The open text or thinking block; at most one, since a new block of another kind closes it. */
interface OpenContent {
  kind: 'text' | 'thinking';
  index: number;
}

function event(data: { type: string } & WireObject): SseEvent {
  return jsonEvent(data, data.type);
}

export class AnthropicStreamWriter extends DialectStreamWriter {
  private state: WriterState = 'idle';
  private nextIndex = 0;
  private content: OpenContent | undefined;
  /** Open tool_use blocks by call id: tool calls may interleave, each keeps its index. */
  private readonly tools = new Map<string, number>();
  /** The Responses reasoning item the open thinking block came from, if any (carried in its signature). */
  private reasoningItem: string | undefined;

  protected override writeContent(ev: IrContentEvent): SseEvent[] {
    switch (ev.kind) {
      case 'start':
        // message_start waits for the first content: an upstream that counts the prompt
        // before its first content (Gemini) has then given the count it carries.
        return [];
      case 'text_delta':
        if (ev.text === '') return [];
        return [...this.openContent('text'), this.blockDelta({ type: 'text_delta', text: ev.text })];
      case 'thinking_delta':
        if (ev.itemId) this.reasoningItem = ev.itemId;
        if (ev.text === '') return [];
        return [...this.openContent('thinking'), this.blockDelta({ type: 'thinking_delta', thinking: ev.text })];
      case 'thinking_signature': {
        const signature = this.reasoningItem ? packReasoningSignature(this.reasoningItem, ev.signature) : ev.signature;
        this.reasoningItem = undefined;
        const out = [...this.openContent('thinking'), this.blockDelta({ type: 'signature_delta', signature })];
        return [...out, ...this.closeContent()];
      }
      case 'redacted_thinking': {
        const out = [...this.begin(), ...this.closeContent()];
        const index = this.nextIndex++;
        out.push(event({ type: 'content_block_start', index, content_block: { type: 'redacted_thinking', data: ev.data } }));
        return [...out, event({ type: 'content_block_stop', index })];
      }
      case 'tool_call_start': {
        const out = [...this.begin(), ...this.closeContent()];
        const index = this.nextIndex++;
        this.tools.set(ev.id, index);
        const block = { type: 'tool_use', id: ev.id, name: ev.name, input: {} };
        return [...out, event({ type: 'content_block_start', index, content_block: block })];
      }
      case 'tool_call_delta': {
        const index = this.tools.get(ev.id);
        if (index === undefined || ev.argumentsDelta === '') return [];
        return [event({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: ev.argumentsDelta } })];
      }
      case 'tool_call_end': {
        const index = this.tools.get(ev.id);
        if (index === undefined) return [];
        this.tools.delete(ev.id);
        return [event({ type: 'content_block_stop', index })];
      }
      default:
        return assertNever(ev);
    }
  }

  /** The terminal events: message_delta with the stop reason and the final usage, then message_stop. */
  protected override writeClosing(finish: IrFinishEvent, usage: IrUsage): SseEvent[] {
    const out = [...this.begin(), ...this.closeAll()];
    out.push(
      event({
        type: 'message_delta',
        delta: { stop_reason: finishToAnthropic(finish.reason), stop_sequence: finish.stopSequence ?? null },
        usage: usageBlock(usage),
      }),
      event({ type: 'message_stop' }),
    );
    return out;
  }

  protected override writeError(error: IrErrorInfo): SseEvent[] {
    return [...this.closeAll(), ...anthropicStreamError(error)];
  }

  /** message_start, once, before anything else. */
  private begin(): SseEvent[] {
    if (this.state !== 'idle') return [];
    this.state = 'streaming';
    const message: AnthropicMessageOut = {
      id: this.ctx.id,
      type: 'message',
      role: 'assistant',
      model: this.ctx.model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: usageToAnthropic(this.startUsage()),
    };
    return [event({ type: 'message_start', message })];
  }

  /**
   * Clients such as LangChain read input tokens from message_start only: the upstream's
   * count when it came first, else the gateway's estimate; message_delta has the exact one.
   */
  private startUsage(): IrUsage {
    if (this.usage.inputTokens !== undefined || this.ctx.inputTokensEstimate === undefined) return this.usage;
    return { ...this.usage, inputTokens: this.ctx.inputTokensEstimate };
  }

  private openContent(kind: OpenContent['kind']): SseEvent[] {
    if (this.content?.kind === kind) return [];
    const out = [...this.begin(), ...this.closeContent()];
    const index = this.nextIndex++;
    this.content = { kind, index };
    const block = kind === 'text' ? { type: 'text', text: '' } : { type: 'thinking', thinking: '', signature: '' };
    return [...out, event({ type: 'content_block_start', index, content_block: block })];
  }

  private blockDelta(delta: WireObject): SseEvent {
    return event({ type: 'content_block_delta', index: this.content?.index ?? 0, delta });
  }

  private closeContent(): SseEvent[] {
    if (!this.content) return [];
    const index = this.content.index;
    this.content = undefined;
    return [event({ type: 'content_block_stop', index })];
  }

  private closeAll(): SseEvent[] {
    const out = this.closeContent();
    for (const index of this.tools.values()) out.push(event({ type: 'content_block_stop', index }));
    this.tools.clear();
    return out;
  }
}

/** message_delta usage: cumulative totals, as the SDK overwrites its snapshot with them. */
function usageBlock(usage: IrUsage): WireObject {
  const u = usageToAnthropic(usage);
  return {
    output_tokens: u.output_tokens,
    input_tokens: u.input_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens,
    cache_read_input_tokens: u.cache_read_input_tokens,
  };
}
