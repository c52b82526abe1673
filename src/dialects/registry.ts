import { anthropicDialect } from './anthropic/index.js';
import type { Dialect } from './dialect.js';
import { googleDialect } from './google/index.js';
import type { DialectId } from './ir.js';
import { openAiChatDialect } from './openai-chat/index.js';
import { openAiResponsesDialect } from './openai-responses/index.js';

/**
 * Every dialect the gateway speaks, by id: the one list. A dialect that clients call is one
 * folder and one line here (its profile names its routes); one that models use upstream is
 * also a config `type` (pipeline/models.ts) and a Factory endpoint (docs/ARCHITECTURE.md).
 */
export const DIALECTS: Readonly<Record<DialectId, Dialect>> = Object.freeze({
  anthropic: anthropicDialect,
  'openai-chat': openAiChatDialect,
  'openai-responses': openAiResponsesDialect,
  google: googleDialect,
});

/**
 * The dialects one gateway serves to clients: the list above, plus those a test registers
 * (`ServiceOverrides.extraDialects`) to show that a dialect needs nothing outside its folder.
 */
export function servedDialects(extra: readonly Dialect[] = []): ReadonlyMap<string, Dialect> {
  const served = new Map<string, Dialect>(Object.values(DIALECTS).map((d) => [d.id, d]));
  for (const dialect of extra) {
    if (served.has(dialect.id)) throw new Error(`dialect ${dialect.id} is registered twice`);
    served.set(dialect.id, dialect);
  }
  return served;
}
