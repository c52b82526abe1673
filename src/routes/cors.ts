import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { GatewayError } from '../errors.js';

const CORS_HEADERS = Object.entries({
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-expose-headers': 'retry-after, request-id, x-request-id',
  'access-control-max-age': '86400',
});

/** Browser SDKs send these; a preflight asking for others gets them echoed back. */
const CORS_ALLOWED = [
  'authorization', 'content-type', 'x-api-key', 'anthropic-version', 'anthropic-beta',
  'anthropic-dangerous-direct-browser-access', 'x-session-id', 'x-claude-code-session-id', 'session-id',
  'x-assistant-message-id', 'openai-organization', 'openai-project', 'openai-beta', 'x-goog-api-key',
  'x-stainless-arch', 'x-stainless-lang', 'x-stainless-os', 'x-stainless-package-version',
  'x-stainless-retry-count', 'x-stainless-runtime', 'x-stainless-runtime-version', 'x-stainless-timeout',
  'x-stainless-helper-method',
].join(', ');

/** Content types a browser sends cross-origin without a preflight (the "CORS-safelisted" ones). */
const SIMPLE_TYPES: readonly string[] = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'];

export interface CorsOptions {
  /** CORS_ORIGINS; undefined: `*` while every caller must present a key, none otherwise. */
  origins: '*' | string[] | undefined;
  /** True while server credentials are served to callers presenting no key (read per request: the admin API can add a pool). */
  keyless: () => boolean;
}

/**
 * The API scope's CORS hook: headers for allowed origins (before authentication, so a browser
 * can read a 401), preflights answered here without authentication. Only API routes carry it.
 * Set on the raw response so streamed (hijacked) replies carry them too.
 */
export function corsHook(options: CorsOptions) {
  const listed = Array.isArray(options.origins) ? new Set(options.origins) : undefined;
  const allowed = (origin: string): string | undefined => {
    if (listed) return listed.has(origin) ? origin : undefined;
    if (options.origins === '*') return '*';
    return options.keyless() ? undefined : '*';
  };
  return (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    // SDKs and CLIs send no Origin: only browsers pay for the headers.
    const origin = request.headers.origin;
    const allow = origin === undefined ? undefined : allowed(origin);
    if (allow !== undefined) {
      reply.raw.setHeader('access-control-allow-origin', allow);
      if (allow !== '*') reply.raw.setHeader('vary', 'Origin');
      for (const [k, v] of CORS_HEADERS) reply.raw.setHeader(k, v);
      reply.raw.setHeader('access-control-allow-headers', request.headers['access-control-request-headers'] ?? CORS_ALLOWED);
    }
    if (request.method === 'OPTIONS') {
      void reply.code(204).send();
      return;
    }
    done();
  };
}

/**
 * Serving server credentials to anyone: refuse the bodies a foreign page can post without a
 * preflight, so it cannot spend the keys blind. Where a key is required any JSON body is
 * taken whatever its content type (curl -d sends form-urlencoded).
 */
export function simpleBodyGuard(keyless: () => boolean) {
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const type = request.headers['content-type'];
    if (type === undefined || !keyless()) return done();
    const media = type.split(';', 1)[0]!.trim().toLowerCase();
    if (!SIMPLE_TYPES.includes(media)) return done();
    done(new GatewayError('invalid_request', `Content type ${media} is not accepted: send application/json`, { status: 415 }));
  };
}
