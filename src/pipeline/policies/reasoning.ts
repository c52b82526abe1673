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

/** Whether a level turns Anthropic's interleaved-thinking beta on (true), off (false) or leaves it (undefined). */
export function interleavedThinkingBeta(level: ReasoningLevel): boolean | undefined {
  if (level === 'auto') return undefined;
  return level !== 'off';
}
