import type { WireObject } from '../../dialects/dialect.js';
import { isRecord } from '../../dialects/shared/json.js';
import { unpackReasoningSignature } from '../../dialects/shared/carried-reasoning.js';

/** A thinking block Anthropic did not sign: empty signature, or another provider's reasoning carried in it. */
function isForeignThinking(block: unknown): boolean {
  if (!isRecord(block) || block.type !== 'thinking') return false;
  const signature = block.signature;
  return typeof signature !== 'string' || signature === '' || unpackReasoningSignature(signature) !== undefined;
}

/**
 * An Anthropic body sent on as it came (pass-through) can still hold thinking blocks from
 * an earlier model of the conversation (a client that switched from GPT or Gemini): Anthropic
 * answers 400 to a signature it did not issue, so those blocks are dropped. The body is
 * copied only when there is something to drop.
 */
export function dropForeignThinking(body: WireObject): WireObject {
  const messages = body.messages;
  if (!Array.isArray(messages)) return body;
  const touched = messages.some((m) => isRecord(m) && m.role === 'assistant' && Array.isArray(m.content) && m.content.some(isForeignThinking));
  if (!touched) return body;
  return {
    ...body,
    messages: messages.map((m) =>
      isRecord(m) && m.role === 'assistant' && Array.isArray(m.content) ? { ...m, content: m.content.filter((b) => !isForeignThinking(b)) } : m,
    ),
  };
}
