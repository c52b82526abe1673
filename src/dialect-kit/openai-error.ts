import type { ErrorCode, GatewayError } from '../errors.js';
import type { IrErrorInfo } from '../dialects/ir.js';
import type { WireObject } from '../dialects/dialect.js';

/** OpenAI error `type` per code (https://platform.openai.com/docs/guides/error-codes). */
const OPENAI_ERROR_TYPE: Record<ErrorCode, string> = {
  invalid_request: 'invalid_request_error',
  authentication: 'authentication_error',
  permission: 'permission_error',
  not_found: 'invalid_request_error',
  request_too_large: 'invalid_request_error',
  rate_limited: 'rate_limit_error',
  quota_exhausted: 'insufficient_quota',
  overloaded: 'server_error',
  upstream_timeout: 'timeout_error',
  upstream_unavailable: 'server_error',
  upstream_error: 'server_error',
  internal: 'server_error',
};

/** The `{error:{message,type,param,code}}` object both OpenAI dialects answer with. */
export function openAiErrorObject(err: Pick<GatewayError, 'code' | 'message'> & { param?: string; detail?: string }): WireObject {
  return {
    message: err.message,
    type: OPENAI_ERROR_TYPE[err.code],
    param: err.param ?? null,
    code: err.detail ?? err.code,
  };
}

export function openAiErrorBody(err: GatewayError): { status: number; body: WireObject } {
  return { status: err.status, body: { error: openAiErrorObject(err) } };
}

export function openAiStreamError(err: IrErrorInfo): WireObject {
  return { error: openAiErrorObject(err) };
}
