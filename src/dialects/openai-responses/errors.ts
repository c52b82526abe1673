/**
 * Errors for Responses clients and from a Responses upstream: the body is OpenAI's
 * (https://platform.openai.com/docs/guides/error-codes); a failure after the stream began is
 * a response.failed event carrying the response object with its `error`.
 */
import { ERROR_STATUS, type ErrorCode } from '../../errors.js';
import type { SseEvent } from '../dialect.js';
import type { IrErrorInfo } from '../ir.js';
import { jsonEvent } from '../../dialect-kit/json.js';
import { responseObject } from './response-out.js';

export { openAiErrorBody as responsesErrorBody } from '../../dialect-kit/openai-error.js';

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

/** A failure after the stream began, on its own: one response.failed with a minimal response. */
export function responsesStreamError(error: IrErrorInfo): SseEvent[] {
  const ctx = { id: 'resp_error', model: '', created: 0, tools: [] };
  const response = responseObject(ctx, { status: 'failed', output: [], usage: null, error });
  return [jsonEvent({ type: 'response.failed', sequence_number: 0, response }, 'response.failed')];
}
