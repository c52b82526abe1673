/** IR → an echo request: the last user text, the system text joined. */
import type { WireObject } from '../../../src/dialects/dialect.js';
import type { IrRequest } from '../../../src/dialects/ir.js';

export function buildRequest(ir: IrRequest, model: string): WireObject {
  const last = ir.messages.findLast((m) => m.role === 'user');
  const text = (last?.parts ?? []).flatMap((p) => (p.kind === 'text' ? [p.text] : [])).join('\n');
  const system = ir.system.map((b) => b.text).join('\n');
  return { model, text, ...(system !== '' && { system }), stream: ir.stream };
}
