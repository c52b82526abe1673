import type { ErrorCode } from '../../errors.js';
import type { IrEffort, IrFinishReason, IrToolChoice } from '../ir.js';

/**
 * Gemini finish reasons → IR (https://ai.google.dev/api/generate-content#FinishReason).
 * STOP becomes `tool_calls` in the parser when the answer carried a function call,
 * since Gemini has no reason of its own for that.
 */
export const FINISH_FROM_GOOGLE: Record<string, IrFinishReason> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
  IMAGE_PROHIBITED_CONTENT: 'content_filter',
  IMAGE_RECITATION: 'content_filter',
  MALFORMED_FUNCTION_CALL: 'stop',
  OTHER: 'stop',
  LANGUAGE: 'stop',
};

/** IR → Gemini finish reason for answers we write (same spec page). */
export const FINISH_TO_GOOGLE: Record<IrFinishReason, string> = {
  stop: 'STOP',
  stop_sequence: 'STOP',
  tool_calls: 'STOP',
  length: 'MAX_TOKENS',
  content_filter: 'SAFETY',
  refusal: 'SAFETY',
  pause: 'STOP',
  error: 'OTHER',
};

/**
 * ThinkingConfig.thinkingLevel → IR effort
 * (https://ai.google.dev/api/generate-content#ThinkingLevel).
 */
export const EFFORT_FROM_LEVEL: Record<string, IrEffort> = {
  MINIMAL: 'minimal',
  LOW: 'low',
  MEDIUM: 'medium',
  HIGH: 'high',
};

/**
 * IR effort → thinkingLevel, for a client's effort and a level the gateway forces alike.
 * MINIMAL exists on Flash only, so `minimal` asks for LOW, which every Gemini 3 model takes;
 * HIGH is the top level, so `xhigh` asks for it.
 */
export const LEVEL_FROM_EFFORT: Record<Exclude<IrEffort, 'none'>, string> = {
  minimal: 'LOW',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  xhigh: 'HIGH',
};

/**
 * FunctionCallingConfig.mode → IR tool choice
 * (https://ai.google.dev/api/caching#Mode). VALIDATED lets the model answer with text or
 * a call, which is what `auto` means elsewhere.
 */
export const CHOICE_FROM_MODE: Record<string, IrToolChoice['type']> = {
  AUTO: 'auto',
  VALIDATED: 'auto',
  ANY: 'required',
  NONE: 'none',
};

export const MODE_FROM_CHOICE: Record<IrToolChoice['type'], string> = {
  auto: 'AUTO',
  required: 'ANY',
  tool: 'ANY',
  none: 'NONE',
};

/** Content.role: only `model` is the assistant; `user` and the legacy `function` are the user's side. */
export function irRole(role: string | undefined): 'user' | 'assistant' {
  return role === 'model' ? 'assistant' : 'user';
}

/**
 * Google RPC status names of upstream errors → catalogue code and status
 * (https://ai.google.dev/gemini-api/docs/troubleshooting#error-codes).
 */
export const CODE_FROM_STATUS_NAME: Record<string, { code: ErrorCode; status: number }> = {
  RESOURCE_EXHAUSTED: { code: 'rate_limited', status: 429 },
  UNAVAILABLE: { code: 'overloaded', status: 503 },
  INVALID_ARGUMENT: { code: 'invalid_request', status: 400 },
  FAILED_PRECONDITION: { code: 'invalid_request', status: 400 },
  PERMISSION_DENIED: { code: 'permission', status: 403 },
  UNAUTHENTICATED: { code: 'authentication', status: 401 },
  NOT_FOUND: { code: 'not_found', status: 404 },
  DEADLINE_EXCEEDED: { code: 'upstream_timeout', status: 504 },
};
