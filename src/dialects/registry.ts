import { anthropicDialect } from './anthropic/index.js';
import type { Dialect } from './dialect.js';
import { googleDialect } from './google/index.js';
import type { DialectId } from './ir.js';
import { openAiChatDialect } from './openai-chat/index.js';
import { openAiResponsesDialect } from './openai-responses/index.js';

/** Every dialect the gateway speaks, by id. Adding a dialect is one folder and one line here. */
export const DIALECTS: Readonly<Record<DialectId, Dialect>> = Object.freeze({
  anthropic: anthropicDialect,
  'openai-chat': openAiChatDialect,
  'openai-responses': openAiResponsesDialect,
  google: googleDialect,
});
