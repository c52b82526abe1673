import type { DialectId } from '../../dialects/ir.js';
import type { WireObject } from '../../dialects/dialect.js';
import { isRecord } from '../../dialects/shared/json.js';

/**
 * Prepends the configured system prompt (config `system_prompt`) in the upstream dialect.
 * The client's own system text is never dropped, whatever its form (string or array).
 * Factory's proxy expects the Droid identity sentence first, so the prompt always leads.
 */
export function injectSystemPrompt(body: WireObject, dialect: DialectId, prompt: string): WireObject {
  if (prompt === '') return body;
  switch (dialect) {
    case 'anthropic':
      return { ...body, system: [{ type: 'text', text: prompt }, ...anthropicSystemBlocks(body.system)] };
    case 'openai-responses': {
      const own = typeof body.instructions === 'string' ? body.instructions : '';
      return { ...body, instructions: prompt + own };
    }
    case 'google':
      return injectGoogle(body, prompt);
    case 'openai-chat':
      return injectChat(body, prompt);
  }
}

function anthropicSystemBlocks(system: unknown): unknown[] {
  if (typeof system === 'string') return system === '' ? [] : [{ type: 'text', text: system }];
  return Array.isArray(system) ? system : [];
}

function injectGoogle(body: WireObject, prompt: string): WireObject {
  // Gemini accepts the snake_case spelling too; fold it into the camelCase field.
  const { system_instruction: snake, ...rest } = body;
  const existing = body.systemInstruction ?? snake;
  let parts: unknown[] = [];
  if (typeof existing === 'string') parts = [{ text: existing }];
  else if (isRecord(existing) && Array.isArray(existing.parts)) parts = existing.parts;
  const base = isRecord(existing) ? existing : {};
  return { ...rest, systemInstruction: { ...base, parts: [{ text: prompt }, ...parts] } };
}

function injectChat(body: WireObject, prompt: string): WireObject {
  const messages = Array.isArray(body.messages) ? body.messages : [];
  const first: unknown = messages[0];
  if (isRecord(first) && (first.role === 'system' || first.role === 'developer')) {
    const content = first.content;
    let merged: unknown;
    if (typeof content === 'string') merged = prompt + content;
    else if (Array.isArray(content)) merged = [{ type: 'text', text: prompt }, ...content];
    else merged = prompt;
    return { ...body, messages: [{ ...first, content: merged }, ...messages.slice(1)] };
  }
  return { ...body, messages: [{ role: 'system', content: prompt }, ...messages] };
}
