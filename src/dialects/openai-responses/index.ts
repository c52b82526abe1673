/**
 * The OpenAI Responses dialect: client dialect of /v1/responses (OpenAI SDK, Codex CLI) and
 * upstream dialect "openai" (Factory's /api/llm/o/v1/responses for GPT models).
 * Spec: https://platform.openai.com/docs/api-reference/responses
 *
 * request-parse.ts    client body → IR            request-build.ts  IR → upstream body
 * stream-in.ts        upstream SSE / JSON → IR     stream-out.ts     IR → client SSE
 * response-out.ts     IR answer → client JSON      maps.ts           statuses, efforts, error codes
 */
import type { Dialect } from '../dialect.js';
import type { IrErrorInfo } from '../ir.js';
import { jsonEvent } from '../shared/json.js';
import { openAiErrorBody } from '../shared/openai-error.js';
import { responseObject } from './output-items.js';
import { buildResponsesRequest } from './request-build.js';
import { parseResponsesRequest } from './request-parse.js';
import { writeResponsesResponse } from './response-out.js';
import { createResponsesStreamParser, parseResponsesResponse, parseResponsesStream } from './stream-in.js';
import { responseUsage } from './usage.js';
import { ResponsesStreamWriter } from './stream-out.js';
import { runStreamWriter } from '../shared/stream-writer.js';

export const openAiResponsesDialect: Dialect = {
  id: 'openai-responses',
  parseRequest: parseResponsesRequest,
  buildRequest: buildResponsesRequest,
  parseStream: parseResponsesStream,
  createStreamParser: createResponsesStreamParser,
  responseUsage,
  parseResponse: parseResponsesResponse,
  writeStream: (events, ctx) => runStreamWriter(new ResponsesStreamWriter(ctx), events),
  createStreamWriter: (ctx) => new ResponsesStreamWriter(ctx),
  writeResponse: writeResponsesResponse,
  errorBody: openAiErrorBody,
  streamError: responsesStreamError,
};

/** A failure after the stream began, on its own: one response.failed with a minimal response. */
function responsesStreamError(error: IrErrorInfo): ReturnType<Dialect['streamError']> {
  const ctx = { id: 'resp_error', model: '', created: 0, tools: [] };
  const response = responseObject(ctx, { status: 'failed', output: [], usage: null, error });
  return [jsonEvent({ type: 'response.failed', sequence_number: 0, response }, 'response.failed')];
}
