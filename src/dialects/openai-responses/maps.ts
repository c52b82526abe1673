/**
 * Enum maps between the OpenAI Responses wire and the IR.
 * Spec: https://platform.openai.com/docs/api-reference/responses/object
 */
import { ERROR_STATUS, type ErrorCode } from '../../errors.js';
import type { IrEffort, IrErrorInfo, IrFinishReason, IrReasoning } from '../ir.js';

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

/** Upstream `response.error.code` / `error` event code → IR error (unknown codes are upstream faults). */
export function errorFromWire(code: unknown, message: unknown): IrErrorInfo {
  const text = typeof message === 'string' && message !== '' ? message : 'upstream reported an error';
  const irCode = errorCodeFromWire(code);
  return { code: irCode, message: text, status: ERROR_STATUS[irCode] };
}

function errorCodeFromWire(code: unknown): ErrorCode {
  switch (code) {
    case 'rate_limit_exceeded':
      return 'rate_limited';
    case 'insufficient_quota':
      return 'quota_exhausted';
    case 'server_is_overloaded':
    case 'overloaded_error':
      return 'overloaded';
    case 'context_length_exceeded':
    case 'invalid_prompt':
      return 'invalid_request';
    default:
      return 'upstream_error';
  }
}
