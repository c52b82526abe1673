import { codeForStatus, type ErrorCode, type GatewayError } from '../../errors.js';
import type { SseEvent, WireObject } from '../dialect.js';
import type { IrErrorInfo } from '../ir.js';
import { jsonEvent } from '../../dialect-kit/json.js';
import { CODE_FROM_STATUS_NAME } from './maps.js';

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

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

/**
 * `{error:{code,message,status}}` → IR error. The RPC status name decides; a body with no
 * name falls back on its HTTP code; an unknown name is an upstream fault.
 */
export function errorInfo(error: Json): IrErrorInfo {
  const message = str(error.message) ?? 'upstream error';
  const name = str(error.status);
  const httpCode = num(error.code);
  const named = name === undefined ? undefined : CODE_FROM_STATUS_NAME[name];
  if (named) return { ...named, message };
  if (name === undefined && httpCode !== undefined && httpCode >= 400) {
    return { code: codeForStatus(httpCode), status: httpCode, message };
  }
  return { code: 'upstream_error', status: 502, message };
}

