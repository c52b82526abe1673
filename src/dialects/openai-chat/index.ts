/**
 * OpenAI Chat Completions (https://platform.openai.com/docs/api-reference/chat): the client
 * dialect of /v1/chat/completions and the upstream dialect of Factory's "common" endpoint.
 * Every dialect folder has the same files with the same roles (docs/ARCHITECTURE.md).
 */
import type { Dialect } from '../dialect.js';
import { chatErrorBody, chatStreamError } from './errors.js';
import { openAiChatProfile } from './profile.js';
import { parseChatRequest } from './request-in.js';
import { buildChatRequest } from './request-out.js';
import { parseChatResponse } from './response-in.js';
import { writeChatResponse } from './response-out.js';
import { createChatStreamParser } from './stream-in.js';
import { ChatStreamWriter } from './stream-out.js';
import { responseUsage } from './usage.js';

export const openAiChatDialect: Dialect = {
  id: 'openai-chat',
  profile: openAiChatProfile,
  parseRequest: parseChatRequest,
  buildRequest: buildChatRequest,
  createStreamParser: createChatStreamParser,
  parseResponse: parseChatResponse,
  responseUsage,
  createStreamWriter: (ctx) => new ChatStreamWriter(ctx),
  writeResponse: writeChatResponse,
  errorBody: chatErrorBody,
  streamError: chatStreamError,
};
