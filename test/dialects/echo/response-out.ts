/** A whole IR answer → the client's echo answer. */
import type { WireObject } from '../../../src/dialects/dialect.js';
import type { IrResponse, WriteContext } from '../../../src/dialects/ir.js';
import { finishToEcho } from './maps.js';
import { usageToEcho } from './usage.js';

export function writeResponse(res: IrResponse, ctx: WriteContext): WireObject {
  const text = res.content.flatMap((p) => (p.kind === 'text' ? [p.text] : [])).join('');
  return { id: ctx.id, model: ctx.model, text, stop: finishToEcho(res.finishReason), usage: usageToEcho(res.usage) };
}
