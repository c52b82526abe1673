/** A whole IR answer → the client's chat.completion (https://platform.openai.com/docs/api-reference/chat/object). */
import type { WireObject } from '../dialect.js';
import type { IrResponse, WriteContext } from '../ir.js';
import { finishToChat } from './maps.js';
import { usageToChat } from './usage.js';

export function writeChatResponse(res: IrResponse, ctx: WriteContext): WireObject {
  const text = res.content.flatMap((p) => (p.kind === 'text' ? [p.text] : [])).join('');
  const thinking = res.content.flatMap((p) => (p.kind === 'thinking' && p.text !== '' ? [p.text] : [])).join('\n\n');
  const calls = res.content.flatMap((p) =>
    p.kind === 'tool_call' ? [{ id: p.id, type: 'function', function: { name: p.name, arguments: p.arguments } }] : [],
  );
  const message: WireObject = { role: 'assistant', content: text === '' ? null : text, refusal: null };
  if (thinking !== '') message.reasoning_content = thinking;
  if (calls.length > 0) message.tool_calls = calls;
  return {
    id: ctx.id,
    object: 'chat.completion',
    created: ctx.created,
    model: ctx.model,
    choices: [{ index: 0, message, logprobs: null, finish_reason: finishToChat(res.finishReason) }],
    usage: usageToChat(res.usage),
  };
}
