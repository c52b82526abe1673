/**
 * Output items and the response object as a client sees them, shared by the stream writer
 * (output_item.* events, response.completed) and writeResponse.
 * Spec: https://platform.openai.com/docs/api-reference/responses/object
 */
import { wireCallName } from './namespaces.js';
import type { WireObject } from '../dialect.js';
import type { IrErrorInfo, IrTool, IrUsage, WriteContext } from '../ir.js';
import { argumentsObject } from '../shared/json.js';
import { RESPONSES_ERROR_CODE, type ResponsesIncompleteReason, type ResponsesStatus } from './maps.js';
import { usageToWire } from './usage.js';
import type {
  ResponsesCustomToolCallOutput,
  ResponsesFunctionCallOutput,
  ResponsesItemStatus,
  ResponsesMessageOutput,
  ResponsesOutputItem,
  ResponsesOutputText,
  ResponsesReasoningOutput,
} from './wire.js';

/**
 * Prefix of reasoning item ids the gateway makes up (the thought came from a non-Responses
 * upstream). They still start with `rs_` as clients expect, but request-build never replays
 * them to a Responses upstream, whose ids and encrypted content they are not.
 */
export const GATEWAY_REASONING_PREFIX = 'rs_gw_';

export function outputText(text: string): ResponsesOutputText {
  return { type: 'output_text', text, annotations: [], logprobs: [] };
}

export function messageItem(id: string, text: string | undefined, status: ResponsesItemStatus): ResponsesMessageOutput {
  return { id, type: 'message', status, role: 'assistant', content: text === undefined ? [] : [outputText(text)] };
}

/** An empty thought has no summary part, as OpenAI sends it when no summary was produced. */
export function reasoningItem(id: string, text: string, signature?: string): ResponsesReasoningOutput {
  const item: ResponsesReasoningOutput = {
    id,
    type: 'reasoning',
    summary: text === '' ? [] : [{ type: 'summary_text', text }],
  };
  if (signature !== undefined) item.encrypted_content = signature;
  return item;
}

/** A call of a tool the client declared; `tools` turns a namespaced tool's IR name back into namespace and name. */
export function functionCallItem(
  id: string,
  call: { callId: string; name: string; args: string },
  status: ResponsesItemStatus,
  tools: IrTool[],
): ResponsesFunctionCallOutput {
  const { name, namespace } = wireCallName(tools, call.name);
  return { id, type: 'function_call', status, call_id: call.callId, name, ...(namespace !== undefined && { namespace }), arguments: call.args };
}

export function customCallItem(
  id: string,
  call: { callId: string; name: string },
  input: string,
  status: ResponsesItemStatus,
  tools: IrTool[],
): ResponsesCustomToolCallOutput {
  const { name, namespace } = wireCallName(tools, call.name);
  return { id, type: 'custom_tool_call', status, call_id: call.callId, name, ...(namespace !== undefined && { namespace }), input };
}

/** The freeform text of a custom tool's call, which the IR carries as `{"input": text}`. */
export function customInput(args: string): string {
  const input = argumentsObject(args).input;
  return typeof input === 'string' ? input : args;
}

export function isCustomTool(tools: IrTool[], name: string): boolean {
  return tools.some((t) => t.name === name && t.custom !== undefined);
}

export interface ResponseState {
  status: ResponsesStatus;
  output: ResponsesOutputItem[];
  usage: IrUsage | null;
  error?: IrErrorInfo;
  incomplete?: ResponsesIncompleteReason;
}

/** The whole response object, as in response.created / completed / failed and the non-stream body. */
export function responseObject(ctx: Pick<WriteContext, 'id' | 'model' | 'created' | 'tools'>, state: ResponseState): WireObject {
  return {
    id: ctx.id,
    object: 'response',
    created_at: ctx.created,
    status: state.status,
    background: false,
    error: state.error ? { code: RESPONSES_ERROR_CODE[state.error.code], message: state.error.message } : null,
    incomplete_details: state.incomplete ? { reason: state.incomplete } : null,
    instructions: null,
    max_output_tokens: null,
    model: ctx.model,
    output: state.output,
    parallel_tool_calls: true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    temperature: null,
    text: { format: { type: 'text' } },
    tool_choice: 'auto',
    tools: ctx.tools.map(toolObject),
    top_p: null,
    truncation: 'disabled',
    usage: state.usage ? usageToWire(state.usage) : null,
    metadata: {},
  };
}

function toolObject(tool: IrTool): WireObject {
  if (tool.custom) {
    return { type: 'custom', name: tool.name, description: tool.description ?? null, format: tool.custom.format ?? { type: 'text' } };
  }
  return {
    type: 'function',
    name: tool.name,
    description: tool.description ?? null,
    parameters: tool.parameters,
    strict: tool.strict ?? false,
  };
}
