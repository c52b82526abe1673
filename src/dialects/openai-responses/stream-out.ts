/**
 * IR events → client Responses SSE (OpenAI SDK `responses.stream`, Codex CLI).
 * Spec: https://platform.openai.com/docs/api-reference/responses-streaming
 * Every event carries `sequence_number`; every item is announced by output_item.added and
 * finished by output_item.done with its full content, which is what Codex keeps as history.
 */
import type { SseEvent } from '../dialect.js';
import { mergeUsage } from '../collect.js';
import { assertNever, type IrErrorInfo, type IrEvent, type IrFinishReason, type IrUsage, type WriteContext } from '../ir.js';
import { ResponseSequence } from './sequence.js';
import type { StreamWriter } from '../shared/stream-writer.js';
import { ToolCallItems } from './stream-out-calls.js';
import { incompleteReasonFromFinish } from './maps.js';
import {
  GATEWAY_REASONING_PREFIX,
  messageItem,
  outputText,
  reasoningItem,
  responseObject,
  type ResponseState,
} from './output-items.js';
import type { ResponsesItemStatus, ResponsesOutputItem } from './wire.js';

interface OpenMessage {
  id: string;
  outputIndex: number;
  text: string;
}

interface OpenReasoning {
  id: string;
  /** The upstream's own item id, when the thought came from a Responses upstream. */
  sourceId: string | undefined;
  outputIndex: number;
  text: string;
  /** The summary part opens with the first text, so an empty thought has no summary part. */
  partOpen: boolean;
  signature?: string;
}

/** At most one message or reasoning item is open at a time; tool calls live in ToolCallItems. */
type WriterState =
  | { name: 'idle' }
  | { name: 'message'; item: OpenMessage }
  | { name: 'reasoning'; item: OpenReasoning }
  | { name: 'done' };

export class ResponsesStreamWriter implements StreamWriter {
  private state: WriterState = { name: 'idle' };
  private readonly seq: ResponseSequence;
  private readonly calls: ToolCallItems;
  private usage: IrUsage = {};
  private finish: IrFinishReason | undefined;
  private begun = false;

  constructor(private readonly ctx: WriteContext) {
    this.seq = new ResponseSequence(ctx);
    this.calls = new ToolCallItems(this.seq);
  }

  get done(): boolean {
    return this.state.name === 'done';
  }

  /** response.created and response.in_progress, once, before anything else (even a failure). */
  private begin(): SseEvent[] {
    if (this.begun) return [];
    this.begun = true;
    const response = responseObject(this.ctx, { status: 'in_progress', output: [], usage: null });
    return [
      this.seq.event('response.created', { response }),
      this.seq.event('response.in_progress', { response }),
    ];
  }

  write(ev: IrEvent): SseEvent[] {
    if (this.state.name === 'done') return [];
    const head = this.begin();
    if (head.length === 0) return this.writeEvent(ev);
    head.push(...this.writeEvent(ev));
    return head;
  }

  private writeEvent(ev: IrEvent): SseEvent[] {
    switch (ev.kind) {
      case 'start':
      case 'redacted_thinking': // Responses has no way to carry another provider's redacted thought.
        return [];
      case 'text_delta':
        return this.text(ev.text);
      case 'thinking_delta':
        return this.thinking(ev.text, ev.itemId);
      case 'thinking_signature':
        return this.signature(ev.signature);
      case 'tool_call_start':
        return [...this.closeBlock('completed'), ...this.calls.start(ev.id, ev.name)];
      case 'tool_call_delta':
        return this.calls.delta(ev.id, ev.argumentsDelta);
      case 'tool_call_end':
        return this.calls.end(ev.id);
      case 'usage':
        this.usage = mergeUsage(this.usage, ev.usage);
        return [];
      case 'finish':
        // Terminal events wait for the end of the stream: usage may still follow (OpenAI Chat).
        this.finish = ev.reason;
        return [];
      case 'error':
        return this.fail(ev.error);
      default:
        return assertNever(ev);
    }
  }

  /** The IR stream ended: complete the response, or fail it when no finish ever came. */
  end(): SseEvent[] {
    if (this.state.name === 'done') return [];
    const head = this.begin();
    if (head.length > 0) return [...head, ...this.end()];
    if (this.finish === undefined) {
      return this.fail({ code: 'upstream_error', message: 'upstream stream ended before it finished', status: 502 });
    }
    const out = [...this.closeBlock('completed'), ...this.calls.closeAll('completed')];
    const incomplete = incompleteReasonFromFinish(this.finish);
    const response: ResponseState = incomplete
      ? { status: 'incomplete', output: this.output(), usage: this.usage, incomplete }
      : { status: 'completed', output: this.output(), usage: this.usage };
    this.state = { name: 'done' };
    const type = incomplete ? 'response.incomplete' : 'response.completed';
    out.push(this.seq.event(type, { response: responseObject(this.ctx, response) }));
    return out;
  }

  private fail(error: IrErrorInfo): SseEvent[] {
    const out = [...this.closeBlock('incomplete'), ...this.calls.closeAll('incomplete')];
    this.state = { name: 'done' };
    const response = responseObject(this.ctx, { status: 'failed', output: this.output(), usage: this.usage, error });
    out.push(this.seq.event('response.failed', { response }));
    return out;
  }

  private output(): ResponsesOutputItem[] {
    return this.seq.output.filter((item) => item !== undefined);
  }

  private text(text: string): SseEvent[] {
    if (text === '') return [];
    const out: SseEvent[] = [];
    const msg = this.state.name === 'message' ? this.state.item : this.openMessage(out);
    msg.text += text;
    const at = { item_id: msg.id, output_index: msg.outputIndex, content_index: 0 };
    out.push(this.seq.event('response.output_text.delta', { ...at, delta: text, logprobs: [] }));
    return out;
  }

  private openMessage(out: SseEvent[]): OpenMessage {
    out.push(...this.closeBlock('completed'));
    const msg: OpenMessage = { id: this.ctx.newId('msg_'), outputIndex: this.seq.outputIndex(), text: '' };
    this.state = { name: 'message', item: msg };
    const at = { item_id: msg.id, output_index: msg.outputIndex };
    out.push(this.seq.event('response.output_item.added', { output_index: msg.outputIndex, item: messageItem(msg.id, undefined, 'in_progress') }));
    out.push(this.seq.event('response.content_part.added', { ...at, content_index: 0, part: outputText('') }));
    return msg;
  }

  private thinking(text: string, sourceId: string | undefined): SseEvent[] {
    const out: SseEvent[] = [];
    const current = this.state.name === 'reasoning' ? this.state.item : undefined;
    // Another upstream item id means another thought, which is another reasoning item.
    const same = current && (sourceId === undefined || current.sourceId === undefined || current.sourceId === sourceId);
    const r = current && same ? current : this.openReasoning(out, sourceId);
    if (text === '') return out;
    const at = { item_id: r.id, output_index: r.outputIndex, summary_index: 0 };
    if (!r.partOpen) {
      r.partOpen = true;
      out.push(this.seq.event('response.reasoning_summary_part.added', { ...at, part: { type: 'summary_text', text: '' } }));
    }
    r.text += text;
    out.push(this.seq.event('response.reasoning_summary_text.delta', { ...at, delta: text }));
    return out;
  }

  /** A signature ends the thought it signs. */
  private signature(signature: string): SseEvent[] {
    const out: SseEvent[] = [];
    const r = this.state.name === 'reasoning' ? this.state.item : this.openReasoning(out, undefined);
    r.signature = signature;
    out.push(...this.closeBlock('completed'));
    return out;
  }

  private openReasoning(out: SseEvent[], sourceId: string | undefined): OpenReasoning {
    out.push(...this.closeBlock('completed'));
    // An upstream Responses id is kept so the client's replay reaches that upstream as its own item.
    const id = sourceId ?? this.ctx.newId(GATEWAY_REASONING_PREFIX);
    const r: OpenReasoning = { id, sourceId, outputIndex: this.seq.outputIndex(), text: '', partOpen: false };
    this.state = { name: 'reasoning', item: r };
    out.push(this.seq.event('response.output_item.added', { output_index: r.outputIndex, item: reasoningItem(id, '') }));
    return r;
  }

  /** Closes the open message or reasoning item with its done events. */
  private closeBlock(status: ResponsesItemStatus): SseEvent[] {
    const state = this.state;
    if (state.name === 'message') {
      const { id, outputIndex, text } = state.item;
      const at = { item_id: id, output_index: outputIndex, content_index: 0 };
      this.state = { name: 'idle' };
      return [
        this.seq.event('response.output_text.done', { ...at, text, logprobs: [] }),
        this.seq.event('response.content_part.done', { ...at, part: outputText(text) }),
        this.seq.itemDone(outputIndex, messageItem(id, text, status)),
      ];
    }
    if (state.name === 'reasoning') {
      const r = state.item;
      const at = { item_id: r.id, output_index: r.outputIndex, summary_index: 0 };
      this.state = { name: 'idle' };
      const part = r.partOpen
        ? [
            this.seq.event('response.reasoning_summary_text.done', { ...at, text: r.text }),
            this.seq.event('response.reasoning_summary_part.done', { ...at, part: { type: 'summary_text', text: r.text } }),
          ]
        : [];
      return [...part, this.seq.itemDone(r.outputIndex, reasoningItem(r.id, r.text, r.signature))];
    }
    return [];
  }
}
