/**
 * IR events → client Responses SSE (OpenAI SDK `responses.stream`, Codex CLI).
 * Spec: https://platform.openai.com/docs/api-reference/responses-streaming
 * Every event carries `sequence_number`; every item is announced by output_item.added and
 * finished by output_item.done with its full content, which is what Codex keeps as history.
 */
import type { SseEvent } from '../dialect.js';
import { assertNever, type IrErrorInfo, type IrEvent, type IrUsage, type WriteContext } from '../ir.js';
import { DialectStreamWriter, type IrContentEvent, type IrFinishEvent } from '../../dialect-kit/stream-writer.js';
import { incompleteReasonFromFinish } from './maps.js';
import { freeformInput } from '../../dialect-kit/freeform-tool.js';
import {
  GATEWAY_REASONING_PREFIX,
  customCallItem,
  functionCallItem,
  isCustomTool,
  messageItem,
  outputText,
  reasoningItem,
  responseObject,
  type ResponseState,
} from './response-out.js';
import type { ResponsesItemStatus, ResponsesOutputItem } from './wire-response.js';

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
  | { name: 'reasoning'; item: OpenReasoning };

/** `rest` after `head`, reusing `head` (or `rest` alone when there is no head). */
function afterHead(head: SseEvent[], rest: SseEvent[]): SseEvent[] {
  if (head.length === 0) return rest;
  head.push(...rest);
  return head;
}

export class ResponsesStreamWriter extends DialectStreamWriter {
  private state: WriterState = { name: 'idle' };
  private readonly seq: ResponseSequence;
  private readonly calls: ToolCallItems;
  private begun = false;

  constructor(ctx: WriteContext) {
    super(ctx);
    this.seq = new ResponseSequence(ctx);
    this.calls = new ToolCallItems(this.seq);
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

  /**
   * begin() comes before every event and before the end, a failure included (arguments are
   * evaluated in order, so its events take their sequence numbers first). A writer that is
   * done has begun, so there it adds nothing and the base writes nothing more.
   */
  override write(ev: IrEvent): SseEvent[] {
    return afterHead(this.begin(), super.write(ev));
  }

  override end(): SseEvent[] {
    return afterHead(this.begin(), super.end());
  }

  protected override writeContent(ev: IrContentEvent): SseEvent[] {
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
      default:
        return assertNever(ev);
    }
  }

  /** Completes the response: response.completed, or response.incomplete for a finish that cut the answer short. */
  protected override writeClosing(finish: IrFinishEvent, usage: IrUsage): SseEvent[] {
    const out = [...this.closeBlock('completed'), ...this.calls.closeAll('completed')];
    const incomplete = incompleteReasonFromFinish(finish.reason);
    const response: ResponseState = incomplete
      ? { status: 'incomplete', output: this.output(), usage, incomplete }
      : { status: 'completed', output: this.output(), usage };
    const type = incomplete ? 'response.incomplete' : 'response.completed';
    out.push(this.seq.event(type, { response: responseObject(this.ctx, response) }));
    return out;
  }

  protected override writeError(error: IrErrorInfo): SseEvent[] {
    const out = [...this.closeBlock('incomplete'), ...this.calls.closeAll('incomplete')];
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

/** Numbers events and items for one response; shared with the tool-call item writer. */
class ResponseSequence {
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

/**
 * Tool-call output items of the Responses stream writer: function_call items stream their
 * arguments; custom_tool_call items (freeform tools such as Codex's apply_patch) are written
 * whole when the call ends.
 * Spec: https://platform.openai.com/docs/api-reference/responses-streaming/response/function_call_arguments
 */
interface OpenCall {
  callId: string;
  name: string;
  args: string;
  /**
   * A function call is on the wire from its start. A custom call is not: the IR streams it
   * as `{"input": "…"}` JSON, and its freeform `input` text is only known once that JSON is
   * complete, so it is buffered and written at the call's end.
   */
  wire: { kind: 'function'; itemId: string; outputIndex: number } | { kind: 'custom' };
}

/** The open calls, keyed by IR call id (parallel calls may interleave). */
class ToolCallItems {
  private readonly open = new Map<string, OpenCall>();

  constructor(private readonly seq: ResponseSequence) {}

  start(callId: string, name: string): SseEvent[] {
    if (isCustomTool(this.seq.ctx.tools, name)) {
      this.open.set(callId, { callId, name, args: '', wire: { kind: 'custom' } });
      return [];
    }
    const itemId = this.seq.ctx.newId('fc_');
    const outputIndex = this.seq.outputIndex();
    const call: OpenCall = { callId, name, args: '', wire: { kind: 'function', itemId, outputIndex } };
    this.open.set(callId, call);
    const item = functionCallItem(itemId, call, 'in_progress', this.seq.ctx.tools);
    return [this.seq.event('response.output_item.added', { output_index: outputIndex, item })];
  }

  delta(callId: string, delta: string): SseEvent[] {
    const call = this.open.get(callId);
    if (!call || delta === '') return [];
    call.args += delta;
    if (call.wire.kind === 'custom') return [];
    const { itemId, outputIndex } = call.wire;
    return [this.seq.event('response.function_call_arguments.delta', { item_id: itemId, output_index: outputIndex, delta })];
  }

  end(callId: string, status: ResponsesItemStatus = 'completed'): SseEvent[] {
    const call = this.open.get(callId);
    if (!call) return [];
    this.open.delete(callId);
    if (call.wire.kind === 'custom') return status === 'completed' ? this.writeCustom(call) : [];
    const { itemId, outputIndex } = call.wire;
    const at = { item_id: itemId, output_index: outputIndex };
    return [
      this.seq.event('response.function_call_arguments.done', { ...at, name: call.name, arguments: call.args }),
      this.seq.itemDone(outputIndex, functionCallItem(itemId, call, status, this.seq.ctx.tools)),
    ];
  }

  /**
   * Ends every open call. A custom call cut off by an error is dropped: its input is
   * unknown, and a half patch is worse than none.
   */
  closeAll(status: ResponsesItemStatus): SseEvent[] {
    return [...this.open.keys()].flatMap((callId) => this.end(callId, status));
  }

  private writeCustom(call: OpenCall): SseEvent[] {
    const itemId = this.seq.ctx.newId('ctc_');
    const outputIndex = this.seq.outputIndex();
    const input = freeformInput(call.args);
    const at = { item_id: itemId, output_index: outputIndex };
    return [
      this.seq.event('response.output_item.added', { output_index: outputIndex, item: customCallItem(itemId, call, '', 'in_progress', this.seq.ctx.tools) }),
      this.seq.event('response.custom_tool_call_input.delta', { ...at, delta: input }),
      this.seq.event('response.custom_tool_call_input.done', { ...at, input }),
      this.seq.itemDone(outputIndex, customCallItem(itemId, call, input, 'completed', this.seq.ctx.tools)),
    ];
  }
}
