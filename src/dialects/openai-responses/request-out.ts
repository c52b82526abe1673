/**
 * IR → upstream Responses request body (Factory's /api/llm/o/v1/responses, GPT models).
 * Spec: https://platform.openai.com/docs/api-reference/responses/create
 * Stop sequences, penalties, seed and top_k have no Responses field and are dropped.
 */
import type { WireObject } from '../dialect.js';
import {
  assertNever,
  type IrImagePart,
  type IrMessage,
  type IrPart,
  type IrRequest,
  type IrResponseFormat,
  type IrTextPart,
  type IrThinkingPart,
  type IrTool,
  type IrToolChoice,
  type IrToolResultPart,
} from '../ir.js';
import { urlFromSource } from '../../dialect-kit/media.js';
import { effortForUpstream } from './maps.js';
import { freeformInput } from '../../dialect-kit/freeform-tool.js';
import { GATEWAY_REASONING_PREFIX } from './response-out.js';

/** OpenAI rejects `max_output_tokens` below 16 with a 400. */
const MIN_OUTPUT_TOKENS = 16;

export function buildResponsesRequest(ir: IrRequest, model: string): WireObject {
  const customTools = new Set(ir.tools.filter((t) => t.custom !== undefined).map((t) => t.name));
  const body: WireObject = { model };
  const instructions = ir.system.map((b) => b.text).filter((t) => t !== '').join('\n\n');
  if (instructions) body.instructions = instructions;
  body.input = new InputBuilder(customTools).build(ir.messages);
  if (ir.tools.length > 0) {
    body.tools = ir.tools.map(buildTool);
    // Both are rejected by OpenAI when no tools are given.
    if (ir.toolChoice) body.tool_choice = buildToolChoice(ir.toolChoice, customTools);
    if (ir.parallelToolCalls !== undefined) body.parallel_tool_calls = ir.parallelToolCalls;
  }
  if (ir.maxTokens !== undefined) body.max_output_tokens = Math.max(MIN_OUTPUT_TOKENS, ir.maxTokens);
  if (ir.temperature !== undefined) body.temperature = ir.temperature;
  if (ir.topP !== undefined) body.top_p = ir.topP;
  if (ir.reasoning?.enabled) {
    const effort = effortForUpstream(ir.reasoning);
    body.reasoning = { ...(effort ? { effort } : {}), summary: ir.reasoning.summary ?? 'auto' };
    // With store:false the reasoning can only be replayed next turn from its encrypted content.
    body.include = ['reasoning.encrypted_content'];
  }
  const format = ir.responseFormat && buildFormat(ir.responseFormat);
  if (format) body.text = { format };
  // Nothing is kept upstream: the gateway replays history itself, so the key's owner stores nothing.
  body.store = false;
  body.stream = ir.stream;
  if (ir.extensions.promptCacheKey) body.prompt_cache_key = ir.extensions.promptCacheKey;
  if (ir.extensions.serviceTier) body.service_tier = ir.extensions.serviceTier;
  return body;
}

function buildTool(tool: IrTool): WireObject {
  if (tool.custom) {
    const out: WireObject = { type: 'custom', name: tool.name };
    if (tool.description) out.description = tool.description;
    if (tool.custom.format) out.format = tool.custom.format;
    return out;
  }
  const out: WireObject = { type: 'function', name: tool.name };
  if (tool.description) out.description = tool.description;
  out.parameters = tool.parameters;
  out.strict = tool.strict ?? false;
  return out;
}

function buildToolChoice(choice: IrToolChoice, customTools: ReadonlySet<string>): WireObject | string {
  if (choice.type !== 'tool') return choice.type;
  return { type: customTools.has(choice.name) ? 'custom' : 'function', name: choice.name };
}

function buildFormat(format: IrResponseFormat): WireObject | undefined {
  if (format.type === 'text') return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  const out: WireObject = { type: 'json_schema', name: format.name, schema: format.schema };
  if (format.strict !== undefined) out.strict = format.strict;
  if (format.description) out.description = format.description;
  return out;
}

/**
 * Turns IR messages into input items. Text and media of one message gather into one
 * message item; calls, results and reasoning are items of their own, so the pending
 * message is flushed before each to keep the order.
 */
class InputBuilder {
  private readonly items: WireObject[] = [];
  private pending: WireObject[] = [];
  /** call id → tool name, to tell a custom tool's result from a function's. */
  private readonly callNames = new Map<string, string>();

  constructor(private readonly customTools: ReadonlySet<string>) {}

  build(messages: IrMessage[]): WireObject[] {
    for (const message of messages) {
      for (const part of message.parts) this.part(message.role, part);
      this.flush(message.role);
    }
    return this.items;
  }

  private part(role: IrMessage['role'], part: IrPart): void {
    switch (part.kind) {
      case 'text':
        this.pending.push(role === 'user' ? { type: 'input_text', text: part.text } : outputText(part.text));
        return;
      case 'image':
        if (role === 'user') this.pending.push(inputImage(part));
        return;
      case 'file':
        if (role === 'user') this.pending.push(inputFile(part));
        return;
      case 'tool_call':
        this.flush(role);
        this.callNames.set(part.id, part.name);
        this.items.push(this.customTools.has(part.name) ? customCall(part.id, part.name, part.arguments) : functionCall(part));
        return;
      case 'tool_result':
        this.flush(role);
        this.items.push(this.result(part));
        return;
      case 'thinking':
        this.flush(role);
        if (isOwnReasoning(part)) this.items.push(reasoningItem(part));
        return;
      default:
        assertNever(part);
    }
  }

  private result(part: IrToolResultPart): WireObject {
    const name = part.name ?? this.callNames.get(part.callId);
    const type = name !== undefined && this.customTools.has(name) ? 'custom_tool_call_output' : 'function_call_output';
    return { type, call_id: part.callId, output: resultOutput(part.content) };
  }

  private flush(role: IrMessage['role']): void {
    if (this.pending.length === 0) return;
    this.items.push({ type: 'message', role, content: this.pending });
    this.pending = [];
  }
}

function outputText(text: string): WireObject {
  return { type: 'output_text', text, annotations: [] };
}

function inputImage(part: IrImagePart): WireObject {
  return { type: 'input_image', image_url: urlFromSource(part.source), detail: part.detail ?? 'auto' };
}

function inputFile(part: Extract<IrPart, { kind: 'file' }>): WireObject {
  if (part.source.type === 'url') return { type: 'input_file', file_url: part.source.url };
  // OpenAI needs a filename with file_data to know the document type.
  const filename = part.filename ?? (part.source.mediaType === 'application/pdf' ? 'document.pdf' : 'document.txt');
  return { type: 'input_file', file_data: urlFromSource(part.source), filename };
}

function functionCall(part: Extract<IrPart, { kind: 'tool_call' }>): WireObject {
  return { type: 'function_call', call_id: part.id, name: part.name, arguments: part.arguments };
}

/** A freeform tool's call carries raw text; the IR carries it as `{"input": text}`. */
function customCall(callId: string, name: string, args: string): WireObject {
  return { type: 'custom_tool_call', call_id: callId, name, input: freeformInput(args) };
}

/**
 * Only reasoning that came from a Responses upstream (an `rs_` item id with its encrypted
 * content) can be replayed; anything else (an Anthropic signature under an id the gateway
 * made up) would be rejected as a foreign item.
 */
function isOwnReasoning(part: IrThinkingPart): part is IrThinkingPart & { itemId: string; signature: string } {
  const id = part.itemId;
  return id !== undefined && id.startsWith('rs_') && !id.startsWith(GATEWAY_REASONING_PREFIX) && part.signature !== undefined;
}

function reasoningItem(part: IrThinkingPart & { itemId: string; signature: string }): WireObject {
  const summary = part.text === '' ? [] : [{ type: 'summary_text', text: part.text }];
  return { type: 'reasoning', id: part.itemId, summary, encrypted_content: part.signature };
}

/** A plain string when the result is text only; the parts form when it carries images. */
function resultOutput(content: Array<IrTextPart | IrImagePart>): string | WireObject[] {
  if (content.every((p) => p.kind === 'text')) return content.map((p) => p.text).join('\n');
  return content.map((p) => (p.kind === 'text' ? { type: 'input_text', text: p.text } : inputImage(p)));
}
