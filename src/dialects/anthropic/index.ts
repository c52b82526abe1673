/**
 * The Anthropic Messages dialect (https://docs.anthropic.com/en/api/messages): the client
 * dialect of /v1/messages and the upstream dialect of Factory's /api/llm/a/v1/messages.
 * Every dialect folder has the same files with the same roles (docs/ARCHITECTURE.md).
 */
import type { Dialect } from '../dialect.js';
import { anthropicErrorBody, anthropicStreamError } from './errors.js';
import { anthropicProfile } from './profile.js';
import { parseRequest } from './request-in.js';
import { buildRequest } from './request-out.js';
import { parseResponse } from './response-in.js';
import { writeResponse } from './response-out.js';
import { createStreamParser } from './stream-in.js';
import { AnthropicStreamWriter } from './stream-out.js';
import { responseUsage } from './usage.js';

export const anthropicDialect: Dialect = {
  id: 'anthropic',
  profile: anthropicProfile,
  parseRequest,
  buildRequest,
  createStreamParser,
  parseResponse,
  responseUsage,
  createStreamWriter: (ctx) => new AnthropicStreamWriter(ctx),
  writeResponse,
  errorBody: anthropicErrorBody,
  streamError: anthropicStreamError,
};
