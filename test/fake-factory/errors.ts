import type { Headers, Reply } from './reply.js';

/** Which provider's error shape an endpoint answers in. */
export type Family = 'anthropic' | 'openai' | 'google';

const DEFAULT_MESSAGES: Record<number, string> = {
  400: 'invalid request',
  401: 'invalid api key',
  402: 'insufficient balance',
  403: 'permission denied',
  404: 'not found',
  413: 'request too large',
  429: 'rate limit exceeded',
  500: 'internal server error',
  502: 'bad gateway',
  503: 'service unavailable',
  504: 'gateway timeout',
  529: 'Overloaded',
};

export function defaultMessage(status: number): string {
  return DEFAULT_MESSAGES[status] ?? `upstream answered ${status}`;
}

/** https://docs.anthropic.com/en/api/errors */
function anthropicType(status: number): string {
  const types: Record<number, string> = {
    400: 'invalid_request_error',
    401: 'authentication_error',
    402: 'billing_error',
    403: 'permission_error',
    404: 'not_found_error',
    413: 'request_too_large',
    429: 'rate_limit_error',
    504: 'timeout_error',
    529: 'overloaded_error',
  };
  return types[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** https://platform.openai.com/docs/guides/error-codes */
function openaiTypeAndCode(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 402) return { type: 'insufficient_quota', code: 'insufficient_quota' };
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error', code: null };
  return { type: 'invalid_request_error', code: null };
}

/** https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes */
export function googleStatus(status: number): string {
  const names: Record<number, string> = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHENTICATED',
    402: 'FAILED_PRECONDITION',
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    429: 'RESOURCE_EXHAUSTED',
    500: 'INTERNAL',
    503: 'UNAVAILABLE',
    504: 'DEADLINE_EXCEEDED',
    529: 'UNAVAILABLE',
  };
  return names[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION');
}

export interface ErrorDetails {
  message: string;
  param?: string | null;
  code?: string | null;
  requestId: string;
  retryAfter?: number;
}

export function errorBody(family: Family, status: number, d: ErrorDetails): unknown {
  switch (family) {
    case 'anthropic':
      return { type: 'error', error: { type: anthropicType(status), message: d.message }, request_id: d.requestId };
    case 'openai': {
      const tc = openaiTypeAndCode(status);
      return { error: { message: d.message, type: tc.type, param: d.param ?? null, code: d.code ?? tc.code } };
    }
    case 'google':
      return { error: { code: status, message: d.message, status: googleStatus(status) } };
    default:
      return assertNever(family);
  }
}

export function requestIdHeaders(family: Family, requestId: string): Headers {
  if (family === 'anthropic') return { 'request-id': requestId };
  if (family === 'openai') return { 'x-request-id': requestId };
  return {};
}

export function errorReply(family: Family, status: number, d: ErrorDetails): Reply {
  const headers = requestIdHeaders(family, d.requestId);
  if (d.retryAfter !== undefined) headers['retry-after'] = String(d.retryAfter);
  return { kind: 'json', status, headers, body: errorBody(family, status, d), cut: false };
}

export function assertNever(x: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(x)}`);
}
