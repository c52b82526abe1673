/**
 * Google Gemini generateContent (https://ai.google.dev/api/generate-content): the client
 * dialect of /v1/generate and /v1beta/models/{model}:generateContent|streamGenerateContent,
 * and the upstream dialect of Factory's /api/llm/g/v1/generate (a generateContent body plus
 * a top-level `model`, answered with data-only SSE of response chunks).
 */
import type { Dialect } from '../dialect.js';
import { googleErrorBody, googleStreamError } from './errors.js';
import { buildGoogleRequest } from './request-build.js';
import { parseGoogleRequest } from './request-parse.js';
import { writeGoogleResponse } from './response-out.js';
import { createGoogleStreamParser, parseGoogleResponse, parseGoogleStream, responseUsage } from './stream-in.js';
import { GoogleStreamWriter } from './stream-out.js';
import { runStreamWriter } from '../shared/stream-writer.js';

export const googleDialect: Dialect = {
  id: 'google',
  parseRequest: parseGoogleRequest,
  buildRequest: buildGoogleRequest,
  parseStream: parseGoogleStream,
  createStreamParser: createGoogleStreamParser,
  responseUsage,
  parseResponse: parseGoogleResponse,
  writeStream: (events, ctx) => runStreamWriter(new GoogleStreamWriter(ctx), events),
  createStreamWriter: (ctx) => new GoogleStreamWriter(ctx),
  writeResponse: writeGoogleResponse,
  errorBody: googleErrorBody,
  streamError: googleStreamError,
};
