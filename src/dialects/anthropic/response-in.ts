/** Upstream Anthropic Message, whole (https://docs.anthropic.com/en/api/messages#response) → IR events. */
import { GatewayError } from '../../errors.js';
import type { IrEvent } from '../ir.js';
import { isRecord } from '../../dialect-kit/json.js';
import { errorFromAnthropic } from './errors.js';
import { AnthropicStreamParser } from './stream-in.js';
import { AnthropicErrorResponseSchema, AnthropicMessageSchema } from './wire-response.js';

/** A whole Message is the stream folded up, so it unfolds through the same parser. */
export function parseResponse(json: unknown): IrEvent[] {
  // Only a body that says it is an error is read as one: a failed zod parse builds its
  // issues, which cost more than reading the whole message (docs/PERFORMANCE.md).
  const error = isRecord(json) && json.type === 'error' ? AnthropicErrorResponseSchema.safeParse(json) : undefined;
  if (error?.success) {
    return [{ kind: 'error', error: errorFromAnthropic(error.data.error?.type ?? 'api_error', error.data.error?.message ?? 'upstream error') }];
  }
  const parsed = AnthropicMessageSchema.safeParse(json);
  if (!parsed.success) throw new GatewayError('upstream_error', 'upstream sent a malformed message', { cause: parsed.error });
  const msg = parsed.data;
  const parser = new AnthropicStreamParser();
  const out = parser.onEvent({ type: 'message_start', message: { id: msg.id, model: msg.model, usage: msg.usage } });
  msg.content.forEach((block, index) => {
    out.push(...parser.onEvent({ type: 'content_block_start', index, content_block: block }));
    if (block.type === 'tool_use') {
      const input = JSON.stringify(isRecord(block.input) ? block.input : {});
      out.push(...parser.onEvent({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json: input } }));
    }
    out.push(...parser.onEvent({ type: 'content_block_stop', index }));
  });
  out.push(...parser.onEvent({ type: 'message_delta', delta: { stop_reason: msg.stop_reason ?? 'end_turn', stop_sequence: msg.stop_sequence } }));
  out.push(...parser.onEvent({ type: 'message_stop' }));
  return out;
}
