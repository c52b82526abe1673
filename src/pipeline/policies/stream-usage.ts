import type { SseEvent, WireObject } from '../../dialects/dialect.js';
import type { DialectId } from '../../dialects/ir.js';
import { DIALECTS } from '../../dialects/registry.js';

/**
 * A passed-through stream always asks its upstream for usage, so the key's token counters
 * see the answer; when the client did not ask, the usage-only events are kept from it. Only
 * dialects whose streams carry usage on request have a `streamUsage` in their profile
 * (Chat Completions' `stream_options.include_usage`).
 */
export function askStreamUsage(body: WireObject, dialect: DialectId): { body: WireObject; hideUsageChunk: boolean } {
  const streamUsage = DIALECTS[dialect].profile.upstream.streamUsage;
  return streamUsage ? streamUsage.ask(body) : { body, hideUsageChunk: false };
}

/** The test for the usage-only events a client that did not ask must not see, if the dialect has them. */
export function usageOnlyTest(dialect: DialectId): ((ev: SseEvent) => boolean) | undefined {
  return DIALECTS[dialect].profile.upstream.streamUsage?.isUsageOnly;
}
