/**
 * Enum maps between the OpenAI Responses wire and the IR.
 * Spec: https://platform.openai.com/docs/api-reference/responses/object
 */
import type { ErrorCode } from '../../errors.js';
import type { IrEffort, IrFinishReason, IrReasoning, IrTool } from '../ir.js';
import type { ForcedReasoning } from '../profile.js';

/** Response `status` values (https://platform.openai.com/docs/api-reference/responses/object#responses/object-status). */
export type ResponsesStatus = 'completed' | 'incomplete' | 'failed' | 'in_progress';

/** `incomplete_details.reason` values of the response object. */
export type ResponsesIncompleteReason = 'max_output_tokens' | 'content_filter';

/** `incomplete_details.reason` → IR finish reason; anything unknown counts as a normal stop. */
export function finishFromIncompleteReason(reason: unknown): IrFinishReason {
  if (reason === 'max_output_tokens') return 'length';
  if (reason === 'content_filter') return 'content_filter';
  return 'stop';
}

/** IR finish reason → the incomplete reason a client sees, or undefined when the response completed. */
export function incompleteReasonFromFinish(reason: IrFinishReason): ResponsesIncompleteReason | undefined {
  if (reason === 'length') return 'max_output_tokens';
  if (reason === 'content_filter') return 'content_filter';
  return undefined;
}

/**
 * `reasoning.effort` values (https://platform.openai.com/docs/api-reference/responses/create#responses-create-reasoning).
 * 'none' is carried as IR `enabled: false`.
 */
const EFFORTS: readonly IrEffort[] = ['none', 'minimal', 'low', 'medium', 'high', 'xhigh'];

export function effortFromWire(value: unknown): IrEffort | undefined {
  return EFFORTS.find((effort) => effort === value);
}

/** A level the gateway forces → `reasoning.effort`: every level, `xhigh` included, is a Responses effort. */
export const RESPONSES_EFFORT_OF_LEVEL: Readonly<Record<Exclude<ForcedReasoning, 'off'>, IrEffort>> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'xhigh',
};

/** The effort to send upstream: as given, 'medium' when only a token budget was asked for. */
export function effortForUpstream(reasoning: IrReasoning): Exclude<IrEffort, 'none'> | undefined {
  if (reasoning.effort !== undefined && reasoning.effort !== 'none') return reasoning.effort;
  if (reasoning.budgetTokens !== undefined) return 'medium';
  return undefined;
}

const SUMMARIES: ReadonlyArray<NonNullable<IrReasoning['summary']>> = ['auto', 'concise', 'detailed'];

export function summaryFromWire(value: unknown): IrReasoning['summary'] {
  return SUMMARIES.find((summary) => summary === value);
}

/**
 * IR error code → `response.error.code` of a failed response
 * (https://platform.openai.com/docs/api-reference/responses/object#responses/object-error).
 * Codex CLI branches on `rate_limit_exceeded` (retry after the hinted delay) and
 * `insufficient_quota` (stop); everything else reads as a retryable server error.
 */
export const RESPONSES_ERROR_CODE: Record<ErrorCode, string> = {
  invalid_request: 'invalid_prompt',
  authentication: 'server_error',
  permission: 'server_error',
  not_found: 'server_error',
  request_too_large: 'invalid_prompt',
  rate_limited: 'rate_limit_exceeded',
  quota_exhausted: 'insufficient_quota',
  overloaded: 'server_error',
  upstream_timeout: 'server_error',
  upstream_unavailable: 'server_error',
  upstream_error: 'server_error',
  internal: 'server_error',
};

/**
 * Responses tool namespaces (https://platform.openai.com/docs/guides/function-calling#defining-namespaces):
 * Codex groups MCP and dynamic tools under a namespace, and its calls carry `namespace`
 * and the tool's own name. No other dialect has namespaces, so the IR names such a tool
 * `<namespace>__<tool>` (the `mcp__server__tool` convention), and the writer splits the
 * name back by looking it up among the request's tools, never by parsing it.
 */
/** Tool names other dialects accept (Anthropic: ^[a-zA-Z0-9_-]{1,128}$). */
const NAME_LIMIT = 128;

export function flatToolName(namespace: string, tool: string): string {
  return `${namespace}__${tool}`.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, NAME_LIMIT);
}

/** A call's name as the client knows it: the tool's own name, and its namespace if it has one. */
export function wireCallName(tools: IrTool[], name: string): { name: string; namespace?: string } {
  const ns = tools.find((t) => t.name === name)?.namespace;
  return ns ? { name: ns.tool, namespace: ns.name } : { name };
}
