/**
 * Client Anthropic Messages request → IR (https://docs.anthropic.com/en/api/messages).
 * Blocks and tools no other provider can carry (server tools, search results, Files API
 * ids) are dropped; fields Claude Code adds for Anthropic only (context_management,
 * container, mcp_servers, service_tier) are ignored: they survive on the pass-through path.
 */
import { invalidRequest } from '../../errors.js';
import { unpackReasoningSignature } from '../../dialect-kit/carried-reasoning.js';
import type { IrCacheControl, IrMessage, IrPart, IrReasoning, IrRequest, IrResponseFormat, IrSystemBlock, IrTextPart, IrImagePart, IrTool, IrToolChoice } from '../ir.js';
import { cacheFromWire } from '../../dialect-kit/cache-control.js';
import { parseBody } from '../../dialect-kit/validate.js';
import { effortFromAnthropic } from './maps.js';
import {
  AnthropicMessagesRequestSchema,
  type AnthropicCacheControl,
  type AnthropicContentBlockParam,
  type AnthropicDocumentSource,
  type AnthropicMessagesRequest,
  type AnthropicNestedBlockParam,
  type AnthropicToolParam,
} from './wire-request.js';

export function parseRequest(body: unknown): IrRequest {
  const req = parseBody(AnthropicMessagesRequestSchema, body);
  const ir: IrRequest = {
    model: req.model,
    system: [...(req.system ?? []), ...systemMessageBlocks(req.messages)]
      .filter((b) => b.text !== '')
      .map((b) => withCache<IrSystemBlock>({ text: b.text }, b.cache_control)),
    messages: parseMessages(req.messages),
    tools: (req.tools ?? []).flatMap(parseTool),
    stream: req.stream ?? false,
    extensions: {},
  };
  if (req.max_tokens != null) ir.maxTokens = req.max_tokens;
  if (req.temperature != null) ir.temperature = req.temperature;
  if (req.top_p != null) ir.topP = req.top_p;
  if (req.top_k != null) ir.topK = req.top_k;
  if (req.stop_sequences?.length) ir.stop = req.stop_sequences;
  if (req.metadata?.user_id) ir.user = req.metadata.user_id;
  const choice = req.tool_choice;
  if (choice) {
    ir.toolChoice = parseToolChoice(choice.type, choice.name);
    if (choice.disable_parallel_tool_use) ir.parallelToolCalls = false;
  }
  const reasoning = parseReasoning(req);
  if (reasoning) ir.reasoning = reasoning;
  const format = req.output_config?.format;
  if (format?.type === 'json_schema' && format.schema) {
    const responseFormat: IrResponseFormat = { type: 'json_schema', name: 'response', schema: format.schema };
    ir.responseFormat = responseFormat;
  }
  return ir;
}

/**
 * The text of system-role messages. The IR keeps every instruction in `system`, in order;
 * a mid-conversation position is not kept (no other dialect could express it).
 */
function systemMessageBlocks(messages: AnthropicMessagesRequest['messages']) {
  return messages.filter((m) => m.role === 'system').flatMap((m) => m.content.flatMap((b) => (b.type === 'text' ? [b] : [])));
}

function parseMessages(messages: AnthropicMessagesRequest['messages']): IrMessage[] {
  // Tool results name no tool; the calls earlier in the history do (Gemini needs the name).
  const toolNames = new Map<string, string>();
  return messages.flatMap((m) =>
    m.role === 'system' ? [] : [{ role: m.role, parts: m.content.flatMap((block) => parseBlock(block, toolNames)) }],
  );
}

function parseBlock(block: AnthropicContentBlockParam, toolNames: Map<string, string>): IrPart[] {
  switch (block.type) {
    case 'text':
    case 'image':
      return parseNested(block);
    case 'document':
      return parseDocument(block.source, block.title ?? undefined);
    case 'tool_use':
      toolNames.set(block.id, block.name);
      return [{ kind: 'tool_call', id: block.id, name: block.name, arguments: JSON.stringify(block.input ?? {}) }];
    case 'tool_result': {
      const name = toolNames.get(block.tool_use_id);
      return [
        {
          kind: 'tool_result',
          callId: block.tool_use_id,
          ...(name === undefined ? {} : { name }),
          content: (block.content ?? []).flatMap(parseNested),
          ...(block.is_error ? { isError: true } : {}),
        },
      ];
    }
    case 'thinking': {
      // An empty signature (Claude Code resends some that way) is no signature at all.
      if (!block.signature) return [{ kind: 'thinking', text: block.thinking }];
      const carried = unpackReasoningSignature(block.signature);
      return [{ kind: 'thinking', text: block.thinking, ...(carried ?? { signature: block.signature }) }];
    }
    case 'redacted_thinking':
      return [{ kind: 'thinking', text: '', redacted: block.data }];
    case 'unsupported':
      return [];
    default:
      return assertNeverBlock(block);
  }
}

function parseNested(block: AnthropicNestedBlockParam): Array<IrTextPart | IrImagePart> {
  switch (block.type) {
    case 'text':
      return [withCache<IrTextPart>({ kind: 'text', text: block.text }, block.cache_control)];
    case 'image': {
      const src = block.source;
      if (src.type === 'base64') return [{ kind: 'image', source: { type: 'base64', mediaType: src.media_type, data: src.data } }];
      if (src.type === 'url') return [{ kind: 'image', source: { type: 'url', url: src.url } }];
      return [];
    }
    case 'unsupported':
      return [];
    default:
      return assertNeverBlock(block);
  }
}

function parseDocument(source: AnthropicDocumentSource, title: string | undefined): IrPart[] {
  const filename = title === undefined ? {} : { filename: title };
  switch (source.type) {
    case 'base64':
      return [{ kind: 'file', source: { type: 'base64', mediaType: source.media_type, data: source.data }, ...filename }];
    case 'url':
      return [{ kind: 'file', source: { type: 'url', url: source.url }, ...filename }];
    case 'text':
      return [{ kind: 'text', text: source.data }];
    case 'content':
      return source.content.flatMap(parseNested);
    case 'file':
      return [];
    default:
      return assertNeverBlock(source);
  }
}

function parseTool(tool: AnthropicToolParam): IrTool[] {
  if (tool.type === 'server') return [];
  const ir: IrTool = { name: tool.name, parameters: tool.input_schema ?? { type: 'object', properties: {} } };
  if (tool.description) ir.description = tool.description;
  if (tool.strict != null) ir.strict = tool.strict;
  return [withCache(ir, tool.cache_control)];
}

function parseToolChoice(type: 'auto' | 'any' | 'tool' | 'none', name: string | null | undefined): IrToolChoice {
  switch (type) {
    case 'auto':
      return { type: 'auto' };
    case 'any':
      return { type: 'required' };
    case 'none':
      return { type: 'none' };
    case 'tool':
      if (!name) throw invalidRequest('tool_choice.name: required when tool_choice.type is "tool"', 'tool_choice.name');
      return { type: 'tool', name };
    default:
      return assertNeverBlock(type);
  }
}

/**
 * `thinking` and `output_config.effort` → IR reasoning. `adaptive` (and any newer mode)
 * means "think as needed": enabled, no budget. An effort alone also asks for reasoning.
 */
function parseReasoning(req: AnthropicMessagesRequest): IrReasoning | undefined {
  let reasoning: IrReasoning | undefined;
  const thinking = req.thinking;
  if (thinking?.type === 'disabled') reasoning = { enabled: false };
  else if (thinking) {
    reasoning = { enabled: true };
    if (thinking.type === 'enabled' && thinking.budget_tokens != null) reasoning.budgetTokens = thinking.budget_tokens;
  }
  const effort = req.output_config?.effort ? effortFromAnthropic(req.output_config.effort) : undefined;
  if (effort) reasoning = { ...(reasoning ?? { enabled: true }), effort };
  return reasoning;
}

function withCache<T extends { cache?: IrCacheControl }>(target: T, cc: AnthropicCacheControl | null | undefined): T {
  const cache = cacheFromWire(cc);
  if (cache) target.cache = cache;
  return target;
}

/** Exhaustiveness check over the schemas' unions (a new block type is a compile error). */
function assertNeverBlock(value: never): never {
  throw invalidRequest(`unsupported value ${JSON.stringify(value)}`);
}
