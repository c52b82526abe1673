/**
 * Client Responses request → IR.
 * Spec: https://platform.openai.com/docs/api-reference/responses/create
 */
import { invalidRequest } from '../../errors.js';
import type { z } from 'zod';
import type {
  IrImagePart,
  IrMessage,
  IrPart,
  IrReasoning,
  IrRequest,
  IrRequestExtensions,
  IrResponseFormat,
  IrSystemBlock,
  IrTextPart,
  IrThinkingPart,
  IrTool,
  IrToolChoice,
  IrToolResultPart,
} from '../ir.js';
import { freeformArguments, freeformToolParameters } from '../../dialect-kit/freeform-tool.js';
import { sourceFromUrl } from '../../dialect-kit/media.js';
import { parseAt, parseBody } from '../../dialect-kit/validate.js';
import { effortFromWire, flatToolName, summaryFromWire } from './maps.js';
import {
  ResponsesCallOutputItemSchema,
  ResponsesCustomToolCallItemSchema,
  ResponsesCustomToolSchema,
  ResponsesFunctionCallItemSchema,
  ResponsesFunctionToolSchema,
  ResponsesMessageItemSchema,
  ResponsesNamespaceToolSchema,
  ResponsesJsonSchemaFormatSchema,
  ResponsesReasoningItemSchema,
  ResponsesRequestSchema,
  type ResponsesContentPart,
  type ResponsesRequest,
} from './wire-request.js';

export function parseResponsesRequest(body: unknown): IrRequest {
  const req = parseBody(ResponsesRequestSchema, body);
  const input = req.input ?? [];
  if (input.length === 0 && !req.previous_response_id) throw invalidRequest('input: Required', 'input');
  const { system, messages } = parseInput(input);
  if (req.instructions) system.unshift({ text: req.instructions });

  const ir: IrRequest = {
    model: req.model,
    system,
    messages,
    tools: parseTools(req.tools ?? []),
    stream: req.stream ?? false,
    extensions: parseExtensions(req),
  };
  const toolChoice = parseToolChoice(req.tool_choice);
  if (toolChoice) ir.toolChoice = toolChoice;
  if (req.parallel_tool_calls != null) ir.parallelToolCalls = req.parallel_tool_calls;
  if (req.max_output_tokens != null) ir.maxTokens = req.max_output_tokens;
  if (req.temperature != null) ir.temperature = req.temperature;
  if (req.top_p != null) ir.topP = req.top_p;
  const reasoning = parseReasoning(req.reasoning);
  if (reasoning) ir.reasoning = reasoning;
  const format = parseFormat(req.text?.format);
  if (format) ir.responseFormat = format;
  const user = req.user ?? req.safety_identifier;
  if (user) ir.user = user;
  return ir;
}

/**
 * Function and custom tools, and those inside namespaces (flattened, see flatToolName in maps.ts);
 * hosted tools (web_search, local_shell, file_search, tool_search…) no upstream here can run.
 */
function parseTools(tools: Array<{ type: string }>, at = 'tools'): IrTool[] {
  return tools.flatMap((tool, i): IrTool[] => {
    if (tool.type === 'function') {
      const t = parseAt(ResponsesFunctionToolSchema, tool, `${at}.${i}`);
      const out: IrTool = { name: t.name, parameters: t.parameters ?? { type: 'object', properties: {} } };
      if (t.description) out.description = t.description;
      if (t.strict != null) out.strict = t.strict;
      return [out];
    }
    if (tool.type === 'custom') {
      const t = parseAt(ResponsesCustomToolSchema, tool, `${at}.${i}`);
      const out: IrTool = { name: t.name, parameters: freeformToolParameters(), custom: {} };
      if (t.description) out.description = t.description;
      if (t.format) out.custom = { format: t.format };
      return [out];
    }
    if (tool.type === 'namespace') {
      const ns = parseAt(ResponsesNamespaceToolSchema, tool, `${at}.${i}`);
      return parseTools(ns.tools, `${at}.${i}.tools`).map((inner) => ({
        ...inner,
        name: flatToolName(ns.name, inner.name),
        // The namespace's description is what tells the model what its tools are for.
        ...(ns.description ? { description: inner.description ? `${ns.description}\n\n${inner.description}` : ns.description } : {}),
        namespace: { name: ns.name, tool: inner.name },
      }));
    }
    return [];
  });
}

function parseToolChoice(choice: ResponsesRequest['tool_choice']): IrToolChoice | undefined {
  if (choice == null) return undefined;
  if (typeof choice === 'string') return { type: choice };
  if ((choice.type === 'function' || choice.type === 'custom') && choice.name) {
    return { type: 'tool', name: choice.namespace ? flatToolName(choice.namespace, choice.name) : choice.name };
  }
  // allowed_tools and hosted-tool choices have no IR equivalent; letting the model choose is closest.
  return { type: 'auto' };
}

function parseReasoning(reasoning: ResponsesRequest['reasoning']): IrReasoning | undefined {
  if (reasoning == null) return undefined;
  const effort = effortFromWire(reasoning.effort);
  const out: IrReasoning = { enabled: effort !== 'none' };
  if (effort) out.effort = effort;
  const summary = summaryFromWire(reasoning.summary);
  if (summary) out.summary = summary;
  return out;
}

function parseFormat(format: { type: string } | null | undefined): IrResponseFormat | undefined {
  if (format == null) return undefined;
  if (format.type === 'json_object') return { type: 'json_object' };
  if (format.type === 'text') return { type: 'text' };
  if (format.type !== 'json_schema') return undefined;
  const f = parseAt(ResponsesJsonSchemaFormatSchema, format, 'text.format');
  const out: IrResponseFormat = { type: 'json_schema', name: f.name, schema: f.schema };
  if (f.strict != null) out.strict = f.strict;
  if (f.description) out.description = f.description;
  return out;
}

function parseExtensions(req: ResponsesRequest): IrRequestExtensions {
  const ext: IrRequestExtensions = {};
  if (req.prompt_cache_key) ext.promptCacheKey = req.prompt_cache_key;
  if (req.service_tier) ext.serviceTier = req.service_tier;
  if (req.previous_response_id) ext.previousResponseId = req.previous_response_id;
  if (req.include) ext.include = req.include;
  if (req.store != null) ext.store = req.store;
  if (req.metadata) {
    const entries = Object.entries(req.metadata).filter((e): e is [string, string] => typeof e[1] === 'string');
    ext.metadata = Object.fromEntries(entries);
  }
  return ext;
}

interface ParsedInput {
  system: IrSystemBlock[];
  messages: IrMessage[];
}

type Content = string | ResponsesContentPart[];

/**
 * Folds the item list into IR messages. Consecutive items of one side (reasoning, assistant
 * text, calls; or tool outputs and user text) merge into one IR message, because every other
 * dialect groups a turn's parts that way.
 */
class InputReader {
  readonly system: IrSystemBlock[] = [];
  readonly messages: IrMessage[] = [];
  /** call_id → tool name, so results can carry the name (Gemini needs it). */
  private readonly callNames = new Map<string, string>();
  /** call ids of items we drop (local_shell_call, hosted tools): their outputs go too. */
  private readonly droppedCalls = new Set<string>();

  read(entry: Record<string, unknown>, at: string): void {
    const type = entry.type ?? 'message';
    switch (type) {
      case 'message':
        return this.message(parseAt(ResponsesMessageItemSchema, entry, at));
      case 'function_call': {
        const item = parseAt(ResponsesFunctionCallItemSchema, entry, at);
        const name = item.namespace ? flatToolName(item.namespace, item.name) : item.name;
        this.callNames.set(item.call_id, name);
        return this.push('assistant', { kind: 'tool_call', id: item.call_id, name, arguments: item.arguments });
      }
      case 'custom_tool_call': {
        const item = parseAt(ResponsesCustomToolCallItemSchema, entry, at);
        const name = item.namespace ? flatToolName(item.namespace, item.name) : item.name;
        this.callNames.set(item.call_id, name);
        const args = freeformArguments(item.input);
        return this.push('assistant', { kind: 'tool_call', id: item.call_id, name, arguments: args });
      }
      case 'function_call_output':
      case 'custom_tool_call_output':
        return this.output(parseAt(ResponsesCallOutputItemSchema, entry, at));
      case 'reasoning':
        return this.reasoning(parseAt(ResponsesReasoningItemSchema, entry, at));
      default:
        // local_shell_call, web_search_call, item_reference…: nothing another upstream could replay.
        if (typeof entry.call_id === 'string') this.droppedCalls.add(entry.call_id);
    }
  }

  private message(item: z.infer<typeof ResponsesMessageItemSchema>): void {
    if (item.role === 'system' || item.role === 'developer') {
      const text = plainText(item.content);
      if (text !== '') this.system.push({ text });
      return;
    }
    const parts = item.role === 'user' ? userParts(item.content) : assistantParts(item.content);
    for (const part of parts) this.push(item.role, part);
  }

  private output(item: z.infer<typeof ResponsesCallOutputItemSchema>): void {
    if (this.droppedCalls.has(item.call_id)) return;
    const part: IrToolResultPart = { kind: 'tool_result', callId: item.call_id, content: outputParts(item.output) };
    const name = this.callNames.get(item.call_id);
    if (name !== undefined) part.name = name;
    this.push('user', part);
  }

  private reasoning(item: z.infer<typeof ResponsesReasoningItemSchema>): void {
    const summary = (item.summary ?? []).map((p) => p.text);
    const texts = summary.length > 0 ? summary : (item.content ?? []).map((p) => p.text);
    const part: IrThinkingPart = { kind: 'thinking', text: texts.join('\n\n') };
    if (item.encrypted_content) part.signature = item.encrypted_content;
    if (item.id) part.itemId = item.id;
    this.push('assistant', part);
  }

  private push(role: IrMessage['role'], part: IrPart): void {
    const last = this.messages.at(-1);
    if (last?.role === role) last.parts.push(part);
    else this.messages.push({ role, parts: [part] });
  }
}

function parseInput(input: string | Array<Record<string, unknown>>): ParsedInput {
  const reader = new InputReader();
  if (typeof input === 'string') {
    if (input !== '') reader.messages.push({ role: 'user', parts: [{ kind: 'text', text: input }] });
  } else {
    input.forEach((entry, i) => reader.read(entry, `input.${i}`));
  }
  return { system: reader.system, messages: reader.messages };
}

function plainText(content: Content): string {
  if (typeof content === 'string') return content;
  return content.flatMap((p) => (p.text !== undefined ? [p.text] : [])).join('\n');
}

function userParts(content: Content): IrPart[] {
  if (typeof content === 'string') return [{ kind: 'text', text: content }];
  return content.flatMap((p): IrPart[] => {
    if (p.type === 'input_text' || p.type === 'output_text') return [{ kind: 'text', text: p.text ?? '' }];
    if (p.type === 'input_image') return imagePart(p);
    if (p.type === 'input_file') return filePart(p);
    return [];
  });
}

function assistantParts(content: Content): IrPart[] {
  if (typeof content === 'string') return [{ kind: 'text', text: content }];
  return content.flatMap((p): IrPart[] => {
    if (p.type === 'refusal') return [{ kind: 'text', text: p.refusal ?? '' }];
    if (p.text !== undefined) return [{ kind: 'text', text: p.text }];
    return [];
  });
}

function outputParts(output: Content): Array<IrTextPart | IrImagePart> {
  if (typeof output === 'string') return [{ kind: 'text', text: output }];
  return output.flatMap((p): Array<IrTextPart | IrImagePart> => {
    if (p.type === 'input_image') return imagePart(p);
    if (p.text !== undefined) return [{ kind: 'text', text: p.text }];
    return [];
  });
}

/** An image given only by `file_id` refers to OpenAI's file store, which no upstream here can read: dropped. */
function imagePart(p: ResponsesContentPart): IrImagePart[] {
  if (!p.image_url) return [];
  const part: IrImagePart = { kind: 'image', source: sourceFromUrl(p.image_url) };
  if (p.detail === 'auto' || p.detail === 'low' || p.detail === 'high') part.detail = p.detail;
  return [part];
}

function filePart(p: ResponsesContentPart): IrPart[] {
  const data = p.file_data;
  // `file_data` is documented as a data URL, but some clients send bare base64.
  const url = data ? (data.startsWith('data:') ? data : bareBase64Url(data, p.filename)) : p.file_url;
  if (!url) return [];
  const source = sourceFromUrl(url);
  return [p.filename ? { kind: 'file', source, filename: p.filename } : { kind: 'file', source }];
}

function bareBase64Url(data: string, filename: string | null | undefined): string {
  const type = filename?.toLowerCase().endsWith('.txt') ? 'text/plain' : 'application/pdf';
  return `data:${type};base64,${data}`;
}
