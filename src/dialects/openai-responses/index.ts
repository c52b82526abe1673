/**
 * The OpenAI Responses dialect: client dialect of /v1/responses (OpenAI SDK, Codex CLI) and
 * upstream dialect "openai" (Factory's /api/llm/o/v1/responses for GPT models).
 * Spec: https://platform.openai.com/docs/api-reference/responses
 * Every dialect folder has the same files with the same roles (docs/ARCHITECTURE.md).
 */
import type { Dialect } from '../dialect.js';
import { responsesErrorBody, responsesStreamError } from './errors.js';
import { openAiResponsesProfile } from './profile.js';
import { parseResponsesRequest } from './request-in.js';
import { buildResponsesRequest } from './request-out.js';
import { parseResponsesResponse } from './response-in.js';
import { writeResponsesResponse } from './response-out.js';
import { createResponsesStreamParser } from './stream-in.js';
import { ResponsesStreamWriter } from './stream-out.js';
import { responseUsage } from './usage.js';

export const openAiResponsesDialect: Dialect = {
  id: 'openai-responses',
  profile: openAiResponsesProfile,
  parseRequest: parseResponsesRequest,
  buildRequest: buildResponsesRequest,
  createStreamParser: createResponsesStreamParser,
  parseResponse: parseResponsesResponse,
  responseUsage,
  createStreamWriter: (ctx) => new ResponsesStreamWriter(ctx),
  writeResponse: writeResponsesResponse,
  errorBody: responsesErrorBody,
  streamError: responsesStreamError,
};
