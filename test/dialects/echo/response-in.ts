/** A whole echo answer → IR events. */
import { GatewayError } from '../../../src/errors.js';
import type { IrEvent } from '../../../src/dialects/ir.js';
import { finishFromEcho } from './maps.js';
import { usageFromEcho } from './usage.js';
import { EchoAnswerSchema } from './wire-response.js';

export function parseResponse(json: unknown): IrEvent[] {
  const parsed = EchoAnswerSchema.safeParse(json);
  if (!parsed.success) throw new GatewayError('upstream_error', 'upstream sent a malformed echo answer', { cause: parsed.error });
  const answer = parsed.data;
  const events: IrEvent[] = [{ kind: 'start', ...(answer.id && { id: answer.id }), ...(answer.model && { model: answer.model }) }];
  if (answer.text !== '') events.push({ kind: 'text_delta', text: answer.text });
  if (answer.usage) events.push({ kind: 'usage', usage: usageFromEcho(answer.usage) });
  events.push({ kind: 'finish', reason: finishFromEcho(answer.stop) });
  return events;
}
