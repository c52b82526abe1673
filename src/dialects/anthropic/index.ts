/**
 * The Anthropic Messages dialect (https://docs.anthropic.com/en/api/messages).
 *   client side:   parseRequest (request.ts), writeStream / writeResponse (stream-out.ts), errors.ts
 *   upstream side: buildRequest (build-request.ts, build-messages.ts), parseStream / parseResponse (stream-in.ts)
 */
import type { Dialect } from '../dialect.js';
import { buildRequest } from './build-request.js';
import { anthropicErrorBody, anthropicStreamError } from './errors.js';
import { parseRequest } from './request.js';
import { createStreamParser, parseResponse, parseStream } from './stream-in.js';
import { responseUsage } from './usage.js';
import { AnthropicStreamWriter, writeResponse } from './stream-out.js';
import { runStreamWriter } from '../shared/stream-writer.js';

export const anthropicDialect: Dialect = {
  id: 'anthropic',
  parseRequest,
  buildRequest,
  parseStream,
  createStreamParser,
  responseUsage,
  parseResponse,
  writeStream: (events, ctx) => runStreamWriter(new AnthropicStreamWriter(ctx), events),
  createStreamWriter: (ctx) => new AnthropicStreamWriter(ctx),
  writeResponse,
  errorBody: anthropicErrorBody,
  streamError: anthropicStreamError,
};
