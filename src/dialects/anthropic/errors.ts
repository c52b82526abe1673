/**
 * Errors in Anthropic's shape, both ways (https://docs.anthropic.com/en/api/errors):
 * `{type:'error', error:{type, message}}` as an HTTP body or an in-band `error` event.
 */
import { ERROR_STATUS, type ErrorCode, type GatewayError } from '../../errors.js';
import type { SseEvent, WireObject } from '../dialect.js';
import type { IrErrorInfo } from '../ir.js';
import { jsonEvent } from '../../dialect-kit/json.js';

/** Anthropic error `type` per gateway code; anything without a match is a generic api_error. */
const ANTHROPIC_ERROR_TYPE: Record<ErrorCode, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'not_found_error',
  request_too_large: 'request_too_large',
  rate_limited: 'rate_limit_error',
  quota_exhausted: 'billing_error',
  overloaded: 'overloaded_error',
  upstream_timeout: 'timeout_error',
  upstream_unavailable: 'api_error',
  upstream_error: 'api_error',
  internal: 'api_error',
};

/** An upstream in-band error `type` → gateway code; unknown types are an upstream fault. */
const ANTHROPIC_TYPE_TO_CODE: ReadonlyMap<string, ErrorCode> = new Map<string, ErrorCode>([
  ['overloaded_error', 'overloaded'],
  ['rate_limit_error', 'rate_limited'],
  ['api_error', 'upstream_error'],
  ['invalid_request_error', 'invalid_request'],
]);

function errorObject(err: Pick<IrErrorInfo, 'code' | 'message'>): WireObject {
  return { type: 'error', error: { type: ANTHROPIC_ERROR_TYPE[err.code], message: err.message } };
}

export function anthropicErrorBody(err: GatewayError): { status: number; body: WireObject } {
  return { status: err.status, body: errorObject(err) };
}

export function anthropicStreamError(err: IrErrorInfo): SseEvent[] {
  return [jsonEvent(errorObject(err), 'error')];
}

/** The IR error for an upstream `error` event's `{type, message}`. */
export function errorFromAnthropic(type: string, message: string): IrErrorInfo {
  const code = ANTHROPIC_TYPE_TO_CODE.get(type) ?? 'upstream_error';
  return { code, message, status: ERROR_STATUS[code] };
}
