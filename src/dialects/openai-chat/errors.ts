/**
 * Errors in OpenAI's shape (https://platform.openai.com/docs/guides/error-codes): the body
 * both OpenAI dialects answer with, the in-band stream error, and an upstream's error read back.
 */
import { ERROR_STATUS, type ErrorCode } from '../../errors.js';
import type { SseEvent } from '../dialect.js';
import type { IrErrorInfo } from '../ir.js';
import { jsonEvent } from '../../dialect-kit/json.js';
import { openAiErrorBody, openAiStreamError } from '../../dialect-kit/openai-error.js';
import type { OpenAIChatUpstreamError } from './wire-response.js';

export { openAiErrorBody as chatErrorBody };

/** The end of a Chat stream, which clients wait for. */
export const CHAT_DONE: SseEvent = { data: '[DONE]' };

/** The in-band error, then `[DONE]` so clients that wait for it stop reading. */
export function chatStreamError(err: IrErrorInfo): SseEvent[] {
  return [jsonEvent(openAiStreamError(err)), CHAT_DONE];
}

/**
 * An upstream in-band error (`{error:{message,type,code}}`) → IR error info. Only overload and
 * rate limiting mean something different to the client; everything else is the upstream's fault.
 */
export function errorFromChat(err: OpenAIChatUpstreamError): IrErrorInfo {
  const words = `${err.type ?? ''} ${typeof err.code === 'string' ? err.code : ''}`.toLowerCase();
  const status = err.status ?? (typeof err.code === 'number' ? err.code : undefined);
  let code: ErrorCode = 'upstream_error';
  if (words.includes('overload') || status === 529 || status === 503) code = 'overloaded';
  else if (words.includes('rate_limit') || status === 429) code = 'rate_limited';
  return { code, message: err.message || 'upstream reported an error', status: ERROR_STATUS[code] };
}
