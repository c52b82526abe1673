/**
 * The one error catalogue. Everything the gateway throws on purpose is a GatewayError;
 * each dialect renders it in its own wire shape (see dialects/<id>/errors.ts).
 */

export type ErrorCode =
  | 'invalid_request'
  | 'authentication'
  | 'permission'
  | 'not_found'
  | 'request_too_large'
  | 'rate_limited'
  | 'quota_exhausted'
  | 'overloaded'
  | 'upstream_timeout'
  | 'upstream_unavailable'
  | 'upstream_error'
  | 'internal';

/** Default HTTP status of each code. */
export const ERROR_STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  authentication: 401,
  permission: 403,
  not_found: 404,
  request_too_large: 413,
  rate_limited: 429,
  quota_exhausted: 402,
  overloaded: 529,
  upstream_timeout: 504,
  upstream_unavailable: 503,
  upstream_error: 502,
  internal: 500,
};

export interface GatewayErrorOptions {
  status?: number;
  /** The request field at fault, when known (OpenAI `param`). */
  param?: string;
  /** A more specific code for the client (OpenAI `code`, e.g. `model_not_found`). */
  detail?: string;
  /** Seconds the client should wait (Retry-After). */
  retryAfter?: number;
  retryable?: boolean;
  cause?: unknown;
}

export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  readonly status: number;
  readonly param: string | undefined;
  readonly detail: string | undefined;
  readonly retryAfter: number | undefined;
  readonly retryable: boolean;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: GatewayErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status ?? ERROR_STATUS[code];
    this.param = options.param;
    this.detail = options.detail;
    this.retryAfter = options.retryAfter;
    this.retryable = options.retryable ?? false;
  }
}

export function invalidRequest(message: string, param?: string): GatewayError {
  return new GatewayError('invalid_request', message, { param });
}

/** Any thrown value as a GatewayError (unknown errors become `internal`, message hidden). */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new GatewayError('internal', 'Internal error in the gateway', { cause: err });
}

/** Maps an HTTP status (upstream's or ours) to the catalogue code. */
export function codeForStatus(status: number): ErrorCode {
  if (status === 400 || status === 422) return 'invalid_request';
  if (status === 401) return 'authentication';
  if (status === 402) return 'quota_exhausted';
  if (status === 403) return 'permission';
  if (status === 404) return 'not_found';
  if (status === 413) return 'request_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 503 || status === 529) return 'overloaded';
  if (status === 504 || status === 408) return 'upstream_timeout';
  if (status >= 500) return 'upstream_error';
  return 'invalid_request';
}
