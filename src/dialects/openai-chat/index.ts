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
import { chatStreamError, writeChatStream } from './stream-out.js';

export const openAiChatDialect: Dialect = {
  id: 'openai-chat',
  parseRequest: parseChatRequest,
  buildRequest: buildChatRequest,
  parseStream: parseChatStream,
  createStreamParser: createChatStreamParser,
  responseUsage,
  parseResponse: parseChatResponse,
  writeStream: writeChatStream,
  writeResponse: writeChatResponse,
  errorBody: openAiErrorBody,
  streamError: chatStreamError,
};
