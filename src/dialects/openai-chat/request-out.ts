/**
 * IR → upstream Chat Completions body for Factory's OpenAI-compatible "common" endpoint
 * (https://platform.openai.com/docs/api-reference/chat/create). Anything Chat cannot
 * express (cache hints, signatures, top_k, tool-result images) is dropped, never sent half-formed.
 */
import type { WireObject } from '../dialect.js';
import type { IrMessage, IrPart, IrRequest, IrTool, IrToolChoice, IrResponseFormat, IrToolResultPart } from '../ir.js';
import { freeformToolParameters } from '../../dialect-kit/freeform-tool.js';
import { urlFromSource } from '../../dialect-kit/media.js';
import { reasoningEffortToChat } from './maps.js';

export function buildChatRequest(ir: IrRequest, model: string): WireObject {
  const body: WireObject = { model, messages: buildMessages(ir) };
  if (ir.tools.length > 0) {
    body.tools = ir.tools.map(buildTool);
    // OpenAI rejects tool_choice and parallel_tool_calls without tools, so they ride only with them.
    if (ir.toolChoice) body.tool_choice = buildToolChoice(ir.toolChoice);
    if (ir.parallelToolCalls !== undefined) body.parallel_tool_calls = ir.parallelToolCalls;
  }
  if (ir.maxTokens !== undefined) body.max_tokens = ir.maxTokens;
  if (ir.temperature !== undefined) body.temperature = ir.temperature;
  if (ir.topP !== undefined) body.top_p = ir.topP;
  if (ir.stop && ir.stop.length > 0) body.stop = ir.stop;
  if (ir.presencePenalty !== undefined) body.presence_penalty = ir.presencePenalty;
  if (ir.frequencyPenalty !== undefined) body.frequency_penalty = ir.frequencyPenalty;
  if (ir.seed !== undefined) body.seed = ir.seed;
  if (ir.responseFormat) body.response_format = buildResponseFormat(ir.responseFormat);
  const effort = reasoningEffortToChat(ir.reasoning);
  if (effort) body.reasoning_effort = effort;
  body.stream = ir.stream;
  // Usage is always asked for upstream: the gateway meters it whatever the client wants to see.
  if (ir.stream) body.stream_options = { include_usage: true };
  if (ir.user !== undefined) body.user = ir.user;
  return body;
}

function buildMessages(ir: IrRequest): WireObject[] {
  const out: WireObject[] = [];
  if (ir.system.length > 0) out.push({ role: 'system', content: ir.system.map((b) => b.text).join('\n\n') });
  for (const msg of ir.messages) {
    if (msg.role === 'user') out.push(...buildUserMessages(msg));
    else out.push(buildAssistantMessage(msg));
  }
  return out;
}

function textOf(parts: IrPart[]): string {
  return parts.flatMap((p) => (p.kind === 'text' ? [p.text] : [])).join('\n\n');
}

/** Tool results go first, one `tool` message each, as Chat requires them right after the calls. */
function buildUserMessages(msg: IrMessage): WireObject[] {
  const out: WireObject[] = [];
  for (const part of msg.parts) {
    if (part.kind === 'tool_result') out.push(buildToolMessage(part));
  }
  const rest = msg.parts.filter((p) => p.kind === 'text' || p.kind === 'image' || p.kind === 'file');
  if (rest.length === 0) return out;
  if (rest.every((p) => p.kind === 'text')) {
    out.push({ role: 'user', content: textOf(rest) });
    return out;
  }
  const content = rest.flatMap(buildUserPart);
  if (content.length > 0) out.push({ role: 'user', content });
  return out;
}

function buildUserPart(part: IrPart): WireObject[] {
  switch (part.kind) {
    case 'text':
      return [{ type: 'text', text: part.text }];
    case 'image': {
      const imageUrl: WireObject = { url: urlFromSource(part.source) };
      if (part.detail) imageUrl.detail = part.detail;
      return [{ type: 'image_url', image_url: imageUrl }];
    }
    case 'file': {
      // Chat files take inline data only; a remote document has no Chat form.
      if (part.source.type !== 'base64') return [];
      const file: WireObject = { file_data: urlFromSource(part.source) };
      if (part.filename) file.filename = part.filename;
      return [{ type: 'file', file }];
    }
    default:
      return [];
  }
}

function buildToolMessage(part: IrToolResultPart): WireObject {
  // Chat tool messages hold text only; images of a result are dropped.
  const text = part.content.flatMap((c) => (c.kind === 'text' ? [c.text] : [])).join('\n\n');
  return { role: 'tool', tool_call_id: part.callId, content: text };
}

function buildAssistantMessage(msg: IrMessage): WireObject {
  const text = textOf(msg.parts);
  const calls = msg.parts.flatMap((p) =>
    p.kind === 'tool_call'
      ? // An empty string is not JSON; strict upstreams reject it where `{}` means "no arguments".
        [{ id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments || '{}' } }]
      : [],
  );
  const reasoning = msg.parts.flatMap((p) => (p.kind === 'thinking' && p.text !== '' ? [p.text] : [])).join('\n\n');
  const out: WireObject = { role: 'assistant', content: text === '' && calls.length > 0 ? null : text };
  if (reasoning !== '') out.reasoning_content = reasoning;
  if (calls.length > 0) out.tool_calls = calls;
  return out;
}

function buildTool(tool: IrTool): WireObject {
  const fn: WireObject = {
    name: tool.name,
    parameters: tool.custom ? freeformToolParameters() : tool.parameters,
  };
  if (tool.description) fn.description = tool.description;
  if (tool.strict !== undefined && !tool.custom) fn.strict = tool.strict;
  return { type: 'function', function: fn };
}

function buildToolChoice(choice: IrToolChoice): WireObject | string {
  if (choice.type === 'tool') return { type: 'function', function: { name: choice.name } };
  return choice.type;
}

function buildResponseFormat(rf: IrResponseFormat): WireObject {
  if (rf.type !== 'json_schema') return { type: rf.type };
  const js: WireObject = { name: rf.name, schema: rf.schema };
  if (rf.strict !== undefined) js.strict = rf.strict;
  if (rf.description) js.description = rf.description;
  return { type: 'json_schema', json_schema: js };
}
