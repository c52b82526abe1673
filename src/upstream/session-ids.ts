import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/** Client headers that name a conversation: Droid CLI, Claude Code, Codex CLI. */
const SESSION_HEADERS = ['x-session-id', 'x-claude-code-session-id', 'session-id'] as const;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s === '' ? undefined : s;
}

/** The conversation's own id, if the client sent one (also a Responses `prompt_cache_key`). */
export function clientSessionId(headers: IncomingHttpHeaders, promptCacheKey?: string): string | undefined {
  for (const name of SESSION_HEADERS) {
    const v = headerValue(headers, name);
    if (v) return v;
  }
  return promptCacheKey || undefined;
}

/**
 * Factory attributes usage by v4-shaped session ids; a client id of another shape is
 * mapped onto one deterministically, so one conversation stays one upstream session.
 */
export function asUuid(value: string): string {
  if (UUID.test(value)) return value.toLowerCase();
  const h = createHash('sha256').update(value).digest('hex');
  const variant = ((parseInt(h[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
