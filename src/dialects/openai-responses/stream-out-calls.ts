/**
 * Tool-call output items of the Responses stream writer: function_call items stream their
 * arguments; custom_tool_call items (freeform tools such as Codex's apply_patch) are written
 * whole when the call ends.
 * Spec: https://platform.openai.com/docs/api-reference/responses-streaming/response/function_call_arguments
 */
import type { SseEvent } from '../dialect.js';
import { customCallItem, customInput, functionCallItem, isCustomTool } from './output-items.js';
import type { ResponseSequence } from './sequence.js';
import type { ResponsesItemStatus } from './wire.js';

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
export class ToolCallItems {
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
    const input = customInput(call.args);
    const at = { item_id: itemId, output_index: outputIndex };
    return [
      this.seq.event('response.output_item.added', { output_index: outputIndex, item: customCallItem(itemId, call, '', 'in_progress', this.seq.ctx.tools) }),
      this.seq.event('response.custom_tool_call_input.delta', { ...at, delta: input }),
      this.seq.event('response.custom_tool_call_input.done', { ...at, input }),
      this.seq.itemDone(outputIndex, customCallItem(itemId, call, input, 'completed', this.seq.ctx.tools)),
    ];
  }
}
