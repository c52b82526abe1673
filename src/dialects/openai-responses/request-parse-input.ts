/**
 * Responses `input` items → IR messages and system blocks.
 * Spec: https://platform.openai.com/docs/api-reference/responses/create#responses-create-input
 */
import { flatToolName } from './namespaces.js';
import type { z } from 'zod';
import { invalidRequest } from '../../errors.js';
import type {
  IrImagePart,
  IrMessage,
  IrPart,
  IrSystemBlock,
  IrTextPart,
  IrThinkingPart,
  IrToolResultPart,
} from '../ir.js';
import { sourceFromUrl } from '../shared/media.js';
import {
  ResponsesCallOutputItemSchema,
  ResponsesCustomToolCallItemSchema,
  ResponsesFunctionCallItemSchema,
  ResponsesMessageItemSchema,
  ResponsesReasoningItemSchema,
  type ResponsesContentPart,
} from './wire.js';

/** Validates one array entry so the error names its place (`input.3.call_id`), as parseBody does for the body. */
export function parseAt<S extends z.ZodType>(schema: S, value: unknown, at: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [at, ...(issue?.path.map(String) ?? [])].join('.');
  throw invalidRequest(`${path}: ${issue?.message ?? 'invalid value'}`, path);
}

export interface ParsedInput {
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
        const args = JSON.stringify({ input: item.input });
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

export function parseInput(input: string | Array<Record<string, unknown>>): ParsedInput {
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
