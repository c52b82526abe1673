import type { z } from 'zod';
import { invalidRequest } from '../errors.js';

/**
 * Validates a client body with zod once at the door; the first issue becomes an
 * `invalid_request` naming its path (e.g. `messages.0.content`).
 */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') ?? '';
  const message = issue ? `${path ? `${path}: ` : ''}${issue.message}` : 'invalid request body';
  throw invalidRequest(message, path || undefined);
}

/** Validates one array entry so the error names its place (`input.3.call_id`), as parseBody does for the body. */
export function parseAt<S extends z.ZodType>(schema: S, value: unknown, at: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = [at, ...(issue?.path.map(String) ?? [])].join('.');
  throw invalidRequest(`${path}: ${issue?.message ?? 'invalid value'}`, path);
}
