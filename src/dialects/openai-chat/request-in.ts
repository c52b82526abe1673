/**
 * Client Chat Completions request → IR (https://platform.openai.com/docs/api-reference/chat/create).
 */
import { invalidRequest } from '../../errors.js';
import type {
  IrImagePart,
  IrMessage,
  IrPart,
  IrRequest,
  IrRequestExtensions,
  IrResponseFormat,
  IrSystemBlock,
  IrTextPart,
  IrTool,
  IrToolChoice,
} from '../ir.js';
import { cacheFromWire } from '../../dialect-kit/cache-control.js';
import { isRecord } from '../../dialect-kit/json.js';
import { sourceFromUrl } from '../../dialect-kit/media.js';
import { parseBody } from '../../dialect-kit/validate.js';
import { reasoningFromChat } from './maps.js';
import {
  OpenAIChatRequestSchema,
  type OpenAIChatFunctionDefinition,
  type OpenAIChatMessage,
  type OpenAIChatRequest,
  type OpenAIChatTextPart,
  type OpenAIChatToolContent,
  type OpenAIChatUserPart,
} from './wire-request.js';

export function parseChatRequest(body: unknown): IrRequest {
  const req = parseBody(OpenAIChatRequestSchema, body);
  if (typeof req.n === 'number' && req.n > 1) {
    throw invalidRequest('n: only one choice per request is supported', 'n');
  }
  const { system, messages } = parseMessages(req.messages);
  const ir: IrRequest = {
    model: req.model,
    system,
    messages,
    tools: parseTools(req),
    stream: req.stream ?? false,
    extensions: parseExtensions(req),
  };
  const toolChoice = parseToolChoice(req);
  if (toolChoice) ir.toolChoice = toolChoice;
  if (typeof req.parallel_tool_calls === 'boolean') ir.parallelToolCalls = req.parallel_tool_calls;
  const maxTokens = req.max_completion_tokens ?? req.max_tokens;
  if (typeof maxTokens === 'number') ir.maxTokens = maxTokens;
  if (typeof req.temperature === 'number') ir.temperature = req.temperature;
  if (typeof req.top_p === 'number') ir.topP = req.top_p;
  if (typeof req.stop === 'string') ir.stop = [req.stop];
  else if (Array.isArray(req.stop) && req.stop.length > 0) ir.stop = req.stop;
  if (typeof req.presence_penalty === 'number') ir.presencePenalty = req.presence_penalty;
  if (typeof req.frequency_penalty === 'number') ir.frequencyPenalty = req.frequency_penalty;
  if (typeof req.seed === 'number') ir.seed = req.seed;
  const reasoning = reasoningFromChat(req.reasoning_effort, req.thinking);
  if (reasoning) ir.reasoning = reasoning;
  const responseFormat = parseResponseFormat(req);
  if (responseFormat) ir.responseFormat = responseFormat;
  if (typeof req.stream_options?.include_usage === 'boolean') ir.includeUsage = req.stream_options.include_usage;
  if (typeof req.user === 'string') ir.user = req.user;
  return ir;
}

function parseMessages(wire: OpenAIChatMessage[]): { system: IrSystemBlock[]; messages: IrMessage[] } {
  const system: IrSystemBlock[] = [];
  const messages: IrMessage[] = [];
  for (const msg of wire) {
    switch (msg.role) {
      case 'system':
      case 'developer':
        // Every instruction counts, wherever it sits in the conversation.
        for (const part of textParts(msg.content)) system.push(part.cache ? { text: part.text, cache: part.cache } : { text: part.text });
        break;
      case 'user':
        pushUserParts(messages, userParts(msg.content));
        break;
      case 'assistant': {
        const parts = assistantParts(msg);
        if (parts.length > 0) messages.push({ role: 'assistant', parts });
        break;
      }
      case 'tool':
        pushUserParts(messages, [{ kind: 'tool_result', callId: msg.tool_call_id, content: toolContent(msg.content) }]);
        break;
      case 'function':
        // Legacy function messages carry no call id: the name pairs them with the legacy function_call.
        pushUserParts(messages, [
          { kind: 'tool_result', callId: msg.name, name: msg.name, content: [{ kind: 'text', text: msg.content ?? '' }] },
        ]);
        break;
    }
  }
  return { system, messages };
}

/**
 * Chat sends each tool result as its own message; the IR carries them in one user message.
 * So consecutive tool results, and the user text that follows them, join the user message
 * that holds tool results only.
 */
function pushUserParts(messages: IrMessage[], parts: IrPart[]): void {
  if (parts.length === 0) return;
  const last = messages.at(-1);
  if (last?.role === 'user' && last.parts.length > 0 && !last.parts.some((p) => p.kind !== 'tool_result')) {
    last.parts.push(...parts);
    return;
  }
  messages.push({ role: 'user', parts });
}

function textPart(part: OpenAIChatTextPart): IrTextPart {
  const cache = cacheFromWire(part.cache_control);
  return cache ? { kind: 'text', text: part.text, cache } : { kind: 'text', text: part.text };
}

function textParts(content: string | OpenAIChatTextPart[]): IrTextPart[] {
  if (typeof content === 'string') return [{ kind: 'text', text: content }];
  return content.map(textPart);
}

function imagePart(imageUrl: string | { url: string; detail?: string | null }): IrImagePart {
  const url = typeof imageUrl === 'string' ? imageUrl : imageUrl.url;
  const detail = typeof imageUrl === 'string' ? undefined : imageUrl.detail;
  const part: IrImagePart = { kind: 'image', source: sourceFromUrl(url) };
  if (detail === 'auto' || detail === 'low' || detail === 'high') part.detail = detail;
  return part;
}

function userParts(content: string | OpenAIChatUserPart[]): IrPart[] {
  if (typeof content === 'string') return [{ kind: 'text', text: content }];
  const parts: IrPart[] = [];
  for (const part of content) {
    switch (part.type) {
      case 'text':
        parts.push(textPart(part));
        break;
      case 'image_url':
        parts.push(imagePart(part.image_url));
        break;
      case 'file':
        // A `file_id` points into OpenAI's file store, which no upstream here can read: dropped.
        if (part.file.file_data) {
          const file = { kind: 'file' as const, source: sourceFromUrl(fileDataUrl(part.file.file_data)) };
          parts.push(part.file.filename ? { ...file, filename: part.file.filename } : file);
        }
        break;
      case 'input_audio':
        break; // No upstream model here takes audio.
    }
  }
  return parts;
}

/** `file_data` is documented as base64 but clients send both bare base64 and `data:` URLs. */
function fileDataUrl(data: string): string {
  return data.startsWith('data:') ? data : `data:application/pdf;base64,${data}`;
}

function assistantParts(msg: Extract<OpenAIChatMessage, { role: 'assistant' }>): IrPart[] {
  const parts: IrPart[] = [];
  if (msg.reasoning_content) parts.push({ kind: 'thinking', text: msg.reasoning_content });
  if (typeof msg.content === 'string') {
    if (msg.content !== '') parts.push({ kind: 'text', text: msg.content });
  } else if (Array.isArray(msg.content)) {
    for (const part of msg.content) {
      const text = part.type === 'text' ? part.text : part.refusal;
      if (text !== '') parts.push({ kind: 'text', text });
    }
  }
  for (const call of msg.tool_calls ?? []) {
    parts.push({ kind: 'tool_call', id: call.id, name: call.function.name, arguments: call.function.arguments ?? '' });
  }
  if (msg.function_call) {
    const { name, arguments: args } = msg.function_call;
    parts.push({ kind: 'tool_call', id: name, name, arguments: args ?? '' });
  }
  return parts;
}

function toolContent(content: OpenAIChatToolContent): Array<IrTextPart | IrImagePart> {
  if (typeof content === 'string') return [{ kind: 'text', text: content }];
  return content.map((part) => (part.type === 'text' ? textPart(part) : imagePart(part.image_url)));
}

function toolFromFunction(fn: OpenAIChatFunctionDefinition): IrTool {
  const tool: IrTool = { name: fn.name, parameters: fn.parameters ?? { type: 'object', properties: {} } };
  if (fn.description) tool.description = fn.description;
  if (typeof fn.strict === 'boolean') tool.strict = fn.strict;
  return tool;
}

function parseTools(req: OpenAIChatRequest): IrTool[] {
  const tools: IrTool[] = [];
  for (const [i, tool] of (req.tools ?? []).entries()) {
    if (tool.type !== 'function') continue; // custom and hosted tools have no IR counterpart here
    if (!tool.function) throw invalidRequest(`tools.${i}.function: required for a function tool`, `tools.${i}.function`);
    tools.push(toolFromFunction(tool.function));
  }
  for (const fn of req.functions ?? []) tools.push(toolFromFunction(fn));
  return tools;
}

function parseToolChoice(req: OpenAIChatRequest): IrToolChoice | undefined {
  const choice = req.tool_choice ?? req.function_call;
  if (choice === undefined || choice === null) return undefined;
  if (typeof choice === 'string') return { type: choice };
  const fn = 'type' in choice ? choice.function : choice;
  if (isRecord(fn) && typeof fn.name === 'string' && (!('type' in choice) || choice.type === 'function')) {
    return { type: 'tool', name: fn.name };
  }
  return undefined; // allowed_tools, custom: no IR counterpart
}

function parseResponseFormat(req: OpenAIChatRequest): IrResponseFormat | undefined {
  const rf = req.response_format;
  if (!rf) return undefined;
  if (rf.type !== 'json_schema') return { type: rf.type };
  const js = rf.json_schema;
  const out: IrResponseFormat = { type: 'json_schema', name: js.name, schema: js.schema ?? {} };
  if (typeof js.strict === 'boolean') out.strict = js.strict;
  if (js.description) out.description = js.description;
  return out;
}

function parseExtensions(req: OpenAIChatRequest): IrRequestExtensions {
  const ext: IrRequestExtensions = {};
  if (req.metadata) ext.metadata = req.metadata;
  if (req.service_tier) ext.serviceTier = req.service_tier;
  if (typeof req.store === 'boolean') ext.store = req.store;
  if (req.prompt_cache_key) ext.promptCacheKey = req.prompt_cache_key;
  return ext;
}
