import type { WireObject } from '../../dialects/dialect.js';
import type { DialectId } from '../../dialects/ir.js';
import { DIALECTS } from '../../dialects/registry.js';

/**
 * What every upstream body needs whatever the client sent: the upstream model id, and the
 * fields its dialect requires or rejects for that model (its profile's `finalize`).
 */
export function finalizeUpstreamBody(body: WireObject, dialect: DialectId, modelId: string): WireObject {
  return DIALECTS[dialect].profile.upstream.finalize(body, modelId);
}
