/** An upstream response object, whole (https://platform.openai.com/docs/api-reference/responses/object) → IR events. */
import { GatewayError } from '../../errors.js';
import type { IrEvent } from '../ir.js';
import { isRecord } from '../../dialect-kit/json.js';
import { ResponsesStreamParser } from './stream-in.js';

type Wire = Record<string, unknown>;

/** A non-stream response object is replayed through the stream parser: one source of truth. */
export function parseResponsesResponse(json: unknown): IrEvent[] {
  if (!isRecord(json)) throw new GatewayError('upstream_error', 'upstream answer is not a response object');
  const parser = new ResponsesStreamParser();
  const out = parser.push({ type: 'response.created', response: json });
  const output = Array.isArray(json.output) ? json.output : [];
  output.forEach((item, i) => {
    out.push(...parser.push({ type: 'response.output_item.added', output_index: i, item }));
    out.push(...parser.push({ type: 'response.output_item.done', output_index: i, item }));
  });
  out.push(...parser.push({ type: terminalEvent(json), response: json }));
  return out;
}

function terminalEvent(res: Wire): string {
  if (res.status === 'failed' || (res.status !== 'completed' && isRecord(res.error))) return 'response.failed';
  return res.status === 'incomplete' ? 'response.incomplete' : 'response.completed';
}

