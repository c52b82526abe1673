/**
 * OpenAI Responses reasoning travelling through a dialect that has only a signature field
 * (Anthropic thinking blocks): the Responses item id rides inside the signature, so a client
 * such as Claude Code that sends the block back lets a GPT upstream see its own reasoning
 * item again. Anthropic never sees such a signature: its builder drops reasoning it did not issue.
 */
const PREFIX = 'd2a.rs.';

export function packReasoningSignature(itemId: string, encrypted: string): string {
  return `${PREFIX}${itemId}.${encrypted}`;
}

export function unpackReasoningSignature(signature: string): { itemId: string; signature: string } | undefined {
  if (!signature.startsWith(PREFIX)) return undefined;
  const rest = signature.slice(PREFIX.length);
  const dot = rest.indexOf('.');
  if (dot <= 0) return undefined;
  return { itemId: rest.slice(0, dot), signature: rest.slice(dot + 1) };
}
