/**
 * A freeform (Responses `custom`) tool, such as Codex's apply_patch, takes raw text. Dialects
 * without freeform tools see it as a function taking one string parameter `input`, and the
 * IR carries its calls' text as `{"input": text}` so every dialect reads them as arguments.
 */
import { argumentsObject } from './json.js';

/** The parameters schema a freeform tool has in dialects that take functions only. */
export function freeformToolParameters(): Record<string, unknown> {
  return { type: 'object', properties: { input: { type: 'string' } }, required: ['input'] };
}

/** A freeform call's raw text → the IR's arguments text. */
export function freeformArguments(input: string): string {
  return JSON.stringify({ input });
}

/** The IR's arguments text of a freeform call → its raw text (the text itself when it is not that shape). */
export function freeformInput(args: string): string {
  const input = argumentsObject(args).input;
  return typeof input === 'string' ? input : args;
}
