/** A whole IR answer → the client's Anthropic Message (https://docs.anthropic.com/en/api/messages#response). */
import type { WireObject } from '../dialect.js';
import { assertNever, type IrResponse, type WriteContext } from '../ir.js';
import { packReasoningSignature } from '../../dialect-kit/carried-reasoning.js';
import { argumentsObject } from '../../dialect-kit/json.js';
import { finishToAnthropic } from './maps.js';
import { usageToAnthropic } from './usage.js';
import type { AnthropicMessageOut, AnthropicResponseBlock } from './wire-response.js';

export function writeResponse(res: IrResponse, ctx: WriteContext): WireObject {
  const content = res.content.flatMap((part): AnthropicResponseBlock[] => {
    switch (part.kind) {
      case 'text':
        return part.text === '' ? [] : [{ type: 'text', text: part.text }];
      case 'thinking':
        if (part.redacted !== undefined) return [{ type: 'redacted_thinking', data: part.redacted }];
        return [{ type: 'thinking', thinking: part.text, signature: carriedSignature(part.itemId, part.signature) }];
      case 'tool_call':
        return [{ type: 'tool_use', id: part.id, name: part.name, input: argumentsObject(part.arguments) }];
      default:
        return assertNever(part);
    }
  });
  const message: AnthropicMessageOut = {
    id: ctx.id,
    type: 'message',
    role: 'assistant',
    model: ctx.model,
    content,
    stop_reason: finishToAnthropic(res.finishReason),
    stop_sequence: res.stopSequence ?? null,
    usage: usageToAnthropic(res.usage),
  };
  return { ...message };
}

/** A thinking block's signature, with a Responses reasoning item id packed in when it came from one. */
function carriedSignature(itemId: string | undefined, signature: string | undefined): string {
  if (signature === undefined) return '';
  return itemId ? packReasoningSignature(itemId, signature) : signature;
}
