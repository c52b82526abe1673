/**
 * Google Gemini generateContent (https://ai.google.dev/api/generate-content): the client
 * dialect of /v1/generate and /v1beta/models/{model}:generateContent|streamGenerateContent,
 * and the upstream dialect of Factory's /api/llm/g/v1/generate (a generateContent body plus
 * a top-level `model`, answered with data-only SSE of response chunks).
 * Every dialect folder has the same files with the same roles (docs/ARCHITECTURE.md).
 */
import type { Dialect } from '../dialect.js';
import { googleErrorBody, googleStreamError } from './errors.js';
import { googleProfile } from './profile.js';
import { parseGoogleRequest } from './request-in.js';
import { buildGoogleRequest } from './request-out.js';
import { parseGoogleResponse } from './response-in.js';
import { writeGoogleResponse } from './response-out.js';
import { createGoogleStreamParser } from './stream-in.js';
import { GoogleStreamWriter } from './stream-out.js';
import { responseUsage } from './usage.js';

export const googleDialect: Dialect = {
  id: 'google',
  profile: googleProfile,
  parseRequest: parseGoogleRequest,
  buildRequest: buildGoogleRequest,
  createStreamParser: createGoogleStreamParser,
  parseResponse: parseGoogleResponse,
  responseUsage,
  createStreamWriter: (ctx) => new GoogleStreamWriter(ctx),
  writeResponse: writeGoogleResponse,
  errorBody: googleErrorBody,
  streamError: googleStreamError,
};
