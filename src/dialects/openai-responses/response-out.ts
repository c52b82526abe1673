/**
 * A whole IR answer → the non-stream Responses object, the same object response.completed
 * carries, and the output items and response object the stream writer shares with it.
 * `output_text` is not a wire field: the SDK computes it from the message items.
 * Spec: https://platform.openai.com/docs/api-reference/responses/object
 */
import type { WireObject } from '../dialect.js';
import { assertNever, type IrErrorInfo, type IrResponse, type IrTool, type IrUsage, type WriteContext } from '../ir.js';
import { incompleteReasonFromFinish } from './maps.js';
import { freeformInput } from '../../dialect-kit/freeform-tool.js';
import { RESPONSES_ERROR_CODE, wireCallName, type ResponsesIncompleteReason, type ResponsesStatus } from './maps.js';
import { usageToWire } from './usage.js';
import type {
  ResponsesCustomToolCallOutput,
  ResponsesFunctionCallOutput,
  ResponsesItemStatus,
  ResponsesMessageOutput,
  ResponsesOutputItem,
  ResponsesOutputText,
  ResponsesReasoningOutput,
} from './wire-response.js';

export function writeResponsesResponse(res: IrResponse, ctx: WriteContext): WireObject {
  const incomplete = incompleteReasonFromFinish(res.finishReason);
  const output = outputItems(res, ctx);
  return incomplete
    ? responseObject(ctx, { status: 'incomplete', output, usage: res.usage, incomplete })
    : responseObject(ctx, { status: 'completed', output, usage: res.usage });
}

function outputItems(res: IrResponse, ctx: WriteContext): ResponsesOutputItem[] {
  const items: ResponsesOutputItem[] = [];
  for (const part of res.content) {
    switch (part.kind) {
      case 'text': {
        // collect() merges adjacent text, so each text part is one message item.
        items.push(messageItem(ctx.newId('msg_'), part.text, 'completed'));
        break;
      }
      case 'thinking':
        // A redacted thought is another provider's opaque data: Responses cannot carry it.
        if (part.redacted === undefined) {
          const id = part.itemId ?? ctx.newId(GATEWAY_REASONING_PREFIX);
          items.push(reasoningItem(id, part.text, part.signature));
        }
        break;
      case 'tool_call': {
        const call = { callId: part.id, name: part.name, args: part.arguments };
        items.push(
          isCustomTool(ctx.tools, part.name)
            ? customCallItem(ctx.newId('ctc_'), call, freeformInput(part.arguments), 'completed', ctx.tools)
            : functionCallItem(ctx.newId('fc_'), call, 'completed', ctx.tools),
        );
        break;
      }
      default:
        assertNever(part);
    }
  }
  return items;
}

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
