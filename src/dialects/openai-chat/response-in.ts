/** Upstream chat.completion, whole (https://platform.openai.com/docs/api-reference/chat/object) → IR events. */
import { GatewayError } from '../../errors.js';
import type { IrEvent } from '../ir.js';
import { errorFromChat } from './errors.js';
import { finishFromChat } from './maps.js';
import { usageFromChat } from './usage.js';
import { OpenAIChatCompletionSchema } from './wire-response.js';

export function parseChatResponse(json: unknown): IrEvent[] {
  const parsed = OpenAIChatCompletionSchema.safeParse(json);
  if (!parsed.success) {
    throw new GatewayError('upstream_error', 'upstream answered with a malformed chat.completion', { cause: parsed.error });
  }
  const completion = parsed.data;
  if (completion.error) return [{ kind: 'error', error: errorFromChat(completion.error) }];
  const start: IrEvent = { kind: 'start' };
  if (completion.id) start.id = completion.id;
  if (completion.model) start.model = completion.model;
  const events: IrEvent[] = [start];
  const choice = completion.choices?.[0];
  const message = choice?.message;
  const thinking = message?.reasoning_content ?? message?.reasoning;
  if (thinking) events.push({ kind: 'thinking_delta', text: thinking });
  // A refusal is the model's answer in words; the IR has no separate channel for it.
  const text = message?.content || message?.refusal;
  if (text) events.push({ kind: 'text_delta', text });
  for (const call of message?.tool_calls ?? []) {
    events.push({ kind: 'tool_call_start', id: call.id, name: call.function.name });
    if (call.function.arguments) events.push({ kind: 'tool_call_delta', id: call.id, argumentsDelta: call.function.arguments });
    events.push({ kind: 'tool_call_end', id: call.id });
  }
  if (completion.usage) events.push({ kind: 'usage', usage: usageFromChat(completion.usage) });
  events.push({ kind: 'finish', reason: finishFromChat(choice?.finish_reason ?? 'stop') });
  return events;
}
