import type { WireObject } from '../../dialects/dialect.js';
import type { DialectId } from '../../dialects/ir.js';
import { DIALECTS } from '../../dialects/registry.js';

/**
 * Fast mode (`fast: true` models) in the body, for a dialect that has a field for it (its
 * profile's `fastMode`). Anthropic's fast mode is a beta header (dialects/anthropic/profile.ts).
 */
export function applyFastMode(body: WireObject, dialect: DialectId, fast: boolean): WireObject {
  const fastMode = DIALECTS[dialect].profile.upstream.fastMode;
  return fast && fastMode ? fastMode(body) : body;
}
