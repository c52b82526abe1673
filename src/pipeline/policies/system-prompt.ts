import type { WireObject } from '../../dialects/dialect.js';
import type { DialectId } from '../../dialects/ir.js';
import { DIALECTS } from '../../dialects/registry.js';

/**
 * Prepends the configured system prompt (config `system_prompt`) in the upstream dialect.
 * The client's own system text is never dropped, whatever its form (string or array).
 * Factory's proxy expects the Droid identity sentence first, so the prompt always leads;
 * where it goes in the body is the dialect's fact (its profile's `injectSystemPrompt`).
 */
export function injectSystemPrompt(body: WireObject, dialect: DialectId, prompt: string): WireObject {
  if (prompt === '') return body;
  return DIALECTS[dialect].profile.upstream.injectSystemPrompt(body, prompt);
}
