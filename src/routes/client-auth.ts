import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { GatewayError } from '../errors.js';
import { adminKeyMatches } from './admin-auth.js';
import type { AuthFailureLimiter } from './auth-limiter.js';

/** The key an API client presents, in whichever header its SDK uses. */
export function presentedKey(headers: Record<string, string | string[] | undefined>, query: unknown): string | undefined {
  const header = (name: string) => {
    const v = headers[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const bearer = header('authorization')?.replace(/^bearer\s+/i, '');
  const fromQuery = typeof query === 'object' && query !== null && typeof (query as { key?: unknown }).key === 'string' ? (query as { key: string }).key : undefined;
  return bearer ?? header('x-api-key') ?? header('x-goog-api-key') ?? fromQuery;
}

/** Who a presented credential belongs to, or `undefined`: rejected. */
export interface Principal {
  readonly kind: 'gateway-key';
}

/**
 * Presented credential → principal or rejection. GATEWAY_API_KEY today; per-person client
 * keys plug in here, behind the same hook.
 */
export type Authenticator = (presented: string | undefined) => Principal | undefined;

const GATEWAY_PRINCIPAL: Principal = { kind: 'gateway-key' };

/** GATEWAY_API_KEY: any of the keys, compared in constant time. */
export function gatewayKeyAuthenticator(keys: readonly string[]): Authenticator {
  return (presented) => (keys.some((k) => adminKeyMatches(presented, k)) ? GATEWAY_PRINCIPAL : undefined);
}

export function tooManyFailures(retryAfter: number): GatewayError {
  return new GatewayError('rate_limited', 'Too many wrong keys from this address: wait before trying again', { retryAfter });
}

/**
 * The onRequest hook of the API scope (registered by encapsulation, so it runs on every
 * spelling of an API path the router matches). A wrong key counts against the client's
 * address; past the limit even the right key waits, so guessing learns nothing.
 * A callback hook: an async one costs a promise per request.
 */
export function apiAuthHook(authenticate: Authenticator, limiter: AuthFailureLimiter) {
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    const presented = presentedKey(request.headers, request.query);
    if (authenticate(presented) !== undefined) {
      const wait = limiter.blockedFor(request.ip);
      return done(wait === undefined ? undefined : tooManyFailures(wait));
    }
    const missing = new GatewayError('authentication', 'Missing or invalid gateway API key');
    if (presented === undefined) return done(missing);
    limiter.fail(request.ip).then((wait) => done(wait === undefined ? missing : tooManyFailures(wait)), done);
  };
}
