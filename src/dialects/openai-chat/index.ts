/**
 * OpenAI Chat Completions (https://platform.openai.com/docs/api-reference/chat): the client
 * dialect of /v1/chat/completions and the upstream dialect of Factory's "common" endpoint.
 */
import type { Dialect } from '../dialect.js';
import { openAiErrorBody } from '../shared/openai-error.js';
import { buildChatRequest } from './request-build.js';
import { parseChatRequest } from './request.js';
import { parseChatResponse, writeChatResponse } from './response.js';
import { createChatStreamParser, parseChatStream } from './stream-in.js';
import { responseUsage } from './usage.js';
import { ChatStreamWriter, chatStreamError } from './stream-out.js';
import { runStreamWriter } from '../shared/stream-writer.js';

export const openAiChatDialect: Dialect = {
  id: 'openai-chat',
  parseRequest: parseChatRequest,
  buildRequest: buildChatRequest,
  parseStream: parseChatStream,
  createStreamParser: createChatStreamParser,
  responseUsage,
  parseResponse: parseChatResponse,
  writeStream: (events, ctx) => runStreamWriter(new ChatStreamWriter(ctx), events),
  createStreamWriter: (ctx) => new ChatStreamWriter(ctx),
  writeResponse: writeChatResponse,
  errorBody: openAiErrorBody,
  streamError: chatStreamError,
};
