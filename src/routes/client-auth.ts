import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { GatewayError } from '../errors.js';
import { adminKeyMatches } from './admin-auth.js';
import type { AuthFailureLimiter } from './auth-limiter.js';
import type { ClientEntry, ClientRegistry } from '../clients/registry.js';
import { looksLikeClientKey } from '../clients/client-record.js';

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

declare module 'fastify' {
  interface FastifyRequest {
    /** The client key the request presented (its record, never the key), if it was one. */
    apiClient?: ClientEntry;
  }
}

/** Who a presented credential belongs to, or `undefined`: unknown. */
export type Principal =
  | { readonly kind: 'gateway-key' }
  | { readonly kind: 'client'; readonly client: ClientEntry }
  /** A known client key that may not be used now. */
  | { readonly kind: 'refused'; readonly reason: 'disabled' | 'expired' };

/** Presented credential → principal, or undefined: not a key of this gateway. */
export type Authenticator = (presented: string | undefined) => Principal | undefined;

const GATEWAY_PRINCIPAL: Principal = { kind: 'gateway-key' };

/** GATEWAY_API_KEY: any of the keys, compared in constant time. */
export function gatewayKeyAuthenticator(keys: readonly string[]): Authenticator {
  return (presented) => (keys.some((k) => adminKeyMatches(presented, k)) ? GATEWAY_PRINCIPAL : undefined);
}

/** GATEWAY_API_KEY, then the client keys (one hash and one map lookup). */
export function apiAuthenticator(keys: readonly string[], registry: ClientRegistry): Authenticator {
  const gateway = gatewayKeyAuthenticator(keys);
  // A presented client key cannot be a gateway key that lacks the prefix: skip two hashes per gateway key.
  const gatewayLikeClient = keys.some(looksLikeClientKey);
  return (presented) => {
    if (presented === undefined) return undefined;
    const principal = keys.length > 0 && (gatewayLikeClient || !looksLikeClientKey(presented)) ? gateway(presented) : undefined;
    if (principal !== undefined) return principal;
    const found = registry.authenticate(presented);
    if (found === undefined) return undefined;
    return found.ok ? { kind: 'client', client: found.client } : { kind: 'refused', reason: found.reason };
  };
}

export function tooManyFailures(retryAfter: number): GatewayError {
  return new GatewayError('rate_limited', 'Too many wrong keys from this address: wait before trying again', { retryAfter });
}

/**
 * The onRequest hook of the API scope (registered by encapsulation, so it runs on every
 * spelling of an API path the router matches). A wrong key counts against the client's
 * address; past the limit even the right key waits, so guessing learns nothing. A disabled
 * or expired client key is a known one: refused, not counted as a guess.
 * A callback hook: an async one costs a promise per request.
 */
export function apiAuthHook(authenticate: Authenticator, limiter: AuthFailureLimiter, active: () => boolean = () => true, serverKeys: () => boolean = () => true) {
  return (request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void => {
    // An open gateway (no GATEWAY_API_KEY, no client key yet) asks for no key, and reads none.
    if (!active()) return done();
    const presented = presentedKey(request.headers, request.query);
    const principal = authenticate(presented);
    if (principal?.kind === 'refused') return done(new GatewayError('authentication', `This client key is ${principal.reason}`, { detail: `client_key_${principal.reason}` }));
    if (!serverKeys()) {
      // Each caller's own Factory key pays: a client key would be sent upstream as one.
      if (principal?.kind === 'client') return done(new GatewayError('authentication', 'Client keys work only while the gateway has its own Factory credentials; it has none now', { detail: 'client_key_unusable' }));
      return done();
    }
    if (principal !== undefined) {
      if (principal.kind === 'client') request.apiClient = principal.client;
      const wait = limiter.blockedFor(request.ip);
      return done(wait === undefined ? undefined : tooManyFailures(wait));
    }
    const missing = new GatewayError('authentication', 'Missing or invalid gateway API key');
    if (presented === undefined) return done(missing);
    limiter.fail(request.ip).then((wait) => done(wait === undefined ? missing : tooManyFailures(wait)), done);
  };
}
