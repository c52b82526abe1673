import type { ReasoningLevel } from '../../config/schema.js';
import type { WireObject } from '../../dialects/dialect.js';
import type { DialectId } from '../../dialects/ir.js';
import { DIALECTS } from '../../dialects/registry.js';

/**
 * Applies a model's reasoning level in the upstream dialect: `auto` leaves the client's
 * fields alone, `off` removes them, a level forces them. How a level is written (an effort,
 * a thinking level, a budget) is the dialect's fact: its profile's `reasoning`.
 */
export function applyReasoning(body: WireObject, dialect: DialectId, level: ReasoningLevel): WireObject {
  if (level === 'auto') return body;
  return DIALECTS[dialect].profile.upstream.reasoning.force(body, level);
}
