import type { DialectId } from '../../dialects/ir.js';
import type { WireObject } from '../../dialects/dialect.js';

/**
 * Fast mode (`fast: true` models) in the body: OpenAI Responses gets `service_tier:
 * priority` unless the client chose a tier. Anthropic's fast mode is a beta header
 * (see headers.ts); the other dialects have no equivalent.
 */
export function applyFastMode(body: WireObject, dialect: DialectId, fast: boolean): WireObject {
  if (!fast || dialect !== 'openai-responses' || body.service_tier !== undefined) return body;
  return { ...body, service_tier: 'priority' };
}
