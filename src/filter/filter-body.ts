import type { WireObject } from '../dialects/dialect.js';
import { isRecord } from '../runtime/guards.js';

/** One text through the rules: the new text, `null` to remove it, or undefined when no rule matched. */
export type TextFilter = (text: string) => string | null | undefined;

/** The roles whose words come from the user or the client's own prompt (never the model's). */
const FILTERED_ROLES: readonly string[] = ['user', 'system', 'developer'];
const TEXT_PART_TYPES: readonly string[] = ['text', 'input_text'];

/**
 * A content value (a string or an array of parts) through the filter: undefined when
 * nothing changed, `null` when all of it is removed. Only text parts are read.
 */
function filterContent(content: unknown, filter: TextFilter, textKey: (part: Record<string, unknown>) => boolean): unknown {
  if (typeof content === 'string') {
    const out = filter(content);
    return out === undefined ? undefined : out;
  }
  if (!Array.isArray(content)) return undefined;
  let changed = false;
  const parts: unknown[] = [];
  for (const part of content) {
    if (!isRecord(part) || !textKey(part) || typeof part.text !== 'string') {
      parts.push(part);
      continue;
    }
    const out = filter(part.text);
    if (out === undefined) parts.push(part);
    else {
      changed = true;
      if (out !== null) parts.push({ ...part, text: out });
    }
  }
  if (!changed) return undefined;
  return parts.length === 0 ? null : parts;
}

/** Messages (`role` + `contentKey`) through the filter; a message whose content is all removed is left out. */
function filterMessages(list: unknown, filter: TextFilter, contentKey: string, textKey: (part: Record<string, unknown>) => boolean): unknown[] | undefined {
  if (!Array.isArray(list)) return undefined;
  let changed = false;
  const out: unknown[] = [];
  for (const message of list) {
    if (!isRecord(message) || typeof message.role !== 'string' || !FILTERED_ROLES.includes(message.role)) {
      out.push(message);
      continue;
    }
    const content = filterContent(message[contentKey], filter, textKey);
    if (content === undefined) out.push(message);
    else {
      changed = true;
      if (content !== null && content !== '') out.push({ ...message, [contentKey]: content });
    }
  }
  return changed ? out : undefined;
}

const anyText = (part: Record<string, unknown>) => TEXT_PART_TYPES.includes(String(part.type));
const geminiText = (part: Record<string, unknown>) => part.thought !== true;

/**
 * The client's request body with the rules applied to what the user and the client's own
 * prompt say, in the client's dialect, before it is converted or passed through: one place
 * for every route and model. Returns the body itself when nothing matched.
 */
export function filterBody(body: WireObject, dialect: string, filter: TextFilter): WireObject {
  const out: WireObject = { ...body };
  let changed = false;
  const set = (key: string, value: unknown) => {
    if (value === undefined) return;
    out[key] = value;
    changed = true;
  };
  switch (dialect) {
    case 'openai-chat':
      set('messages', filterMessages(body.messages, filter, 'content', anyText));
      break;
    case 'anthropic': {
      set('messages', filterMessages(body.messages, filter, 'content', anyText));
      const system = filterContent(body.system, filter, anyText);
      if (system === null || system === '') {
        delete out.system;
        changed = true;
      } else set('system', system);
      break;
    }
    case 'openai-responses': {
      if (typeof body.input === 'string') {
        const input = filter(body.input);
        // The whole input cannot be removed: an emptied prompt is left as it was.
        if (typeof input === 'string' && input !== '') set('input', input);
      } else set('input', filterMessages(body.input, filter, 'content', anyText));
      if (typeof body.instructions === 'string') {
        const instructions = filter(body.instructions);
        if (instructions !== undefined) set('instructions', instructions ?? '');
      }
      break;
    }
    case 'google': {
      set('contents', filterMessages(body.contents, filter, 'parts', geminiText));
      const system = body.systemInstruction;
      if (isRecord(system)) {
        const parts = filterContent(system.parts, filter, geminiText);
        if (parts === null) {
          delete out.systemInstruction;
          changed = true;
        } else if (parts !== undefined) set('systemInstruction', { ...system, parts });
      }
      break;
    }
  }
  return changed ? out : body;
}
