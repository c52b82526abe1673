import type { ErrorCode, GatewayError } from '../../errors.js';
import type { SseEvent, WireObject } from '../dialect.js';
import type { IrErrorInfo } from '../ir.js';
import { jsonEvent } from '../shared/json.js';

/**
 * Google RPC status name per code, as Gemini reports it in `error.status`
 * (https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes).
 */
export const GOOGLE_STATUS_NAME: Record<ErrorCode, string> = {
  invalid_request: 'INVALID_ARGUMENT',
  authentication: 'UNAUTHENTICATED',
  permission: 'PERMISSION_DENIED',
  not_found: 'NOT_FOUND',
  request_too_large: 'INVALID_ARGUMENT',
  rate_limited: 'RESOURCE_EXHAUSTED',
  quota_exhausted: 'RESOURCE_EXHAUSTED',
  overloaded: 'UNAVAILABLE',
  upstream_timeout: 'DEADLINE_EXCEEDED',
  upstream_unavailable: 'UNAVAILABLE',
  upstream_error: 'INTERNAL',
  internal: 'INTERNAL',
};

function googleErrorObject(err: { code: ErrorCode; message: string; status: number }): WireObject {
  return { error: { code: err.status, message: err.message, status: GOOGLE_STATUS_NAME[err.code] } };
}

/** `{error:{code,message,status}}`, the body every Google API answers a failure with. */
export function googleErrorBody(err: GatewayError): { status: number; body: WireObject } {
  return { status: err.status, body: googleErrorObject(err) };
}

/** Gemini streams have no error event type: the error object is sent as one more data event. */
export function googleStreamError(err: IrErrorInfo): SseEvent[] {
  return [jsonEvent(googleErrorObject(err))];
}
