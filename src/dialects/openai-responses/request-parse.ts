/**
 * Client Responses request → IR.
 * Spec: https://platform.openai.com/docs/api-reference/responses/create
 */
import { invalidRequest } from '../../errors.js';
import type {
  IrReasoning,
  IrRequest,
  IrRequestExtensions,
  IrResponseFormat,
  IrTool,
  IrToolChoice,
} from '../ir.js';
import { parseBody } from '../shared/validate.js';
import { effortFromWire, summaryFromWire } from './maps.js';
import { parseAt, parseInput } from './request-parse-input.js';
import { flatToolName } from './namespaces.js';
import {
  ResponsesCustomToolSchema,
  ResponsesFunctionToolSchema,
  ResponsesNamespaceToolSchema,
  ResponsesJsonSchemaFormatSchema,
  ResponsesRequestSchema,
  type ResponsesRequest,
} from './wire.js';

/** What a freeform tool looks like to dialects without freeform tools: one string `input`. */
export function customToolParameters(): Record<string, unknown> {
  return { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] };
}

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
 * Function and custom tools, and those inside namespaces (flattened, see namespaces.ts);
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
      const out: IrTool = { name: t.name, parameters: customToolParameters(), custom: {} };
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
