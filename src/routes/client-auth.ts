import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../errors.js';
import type { Services } from '../services.js';
import { adminKeyMatches } from './admin-auth.js';

/** The key an API client presents, in whichever header its SDK uses. */
function presentedKey(headers: Record<string, string | string[] | undefined>, query: unknown): string | undefined {
  const header = (name: string) => {
    const v = headers[name];
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const bearer = header('authorization')?.replace(/^bearer\s+/i, '');
  const fromQuery = typeof query === 'object' && query !== null && typeof (query as { key?: unknown }).key === 'string' ? (query as { key: string }).key : undefined;
  return bearer ?? header('x-api-key') ?? header('x-goog-api-key') ?? fromQuery;
}

/**
 * GATEWAY_API_KEY (one key or several separated by `;`): API clients must present one of
 * them (Bearer, x-api-key, x-goog-api-key or `?key=`), compared in constant time. Off by
 * default, as in droid2api; it needs server-side credentials, since in client-authorization
 * mode the client's own key is the Factory credential.
 */
export function registerClientAuth(app: FastifyInstance, services: Services): void {
  const keys = (services.settings.env.GATEWAY_API_KEY ?? '').split(';').map((k) => k.trim()).filter(Boolean);
  if (keys.length === 0) return;
  if (!services.keys.pool && !services.keys.refresh) {
    throw new Error('GATEWAY_API_KEY needs server credentials (FACTORY_API_KEY, factory_keys.txt or a refresh token)');
  }
  // A callback hook, as the other per-request hooks: an async one costs a promise per request.
  app.addHook('onRequest', (request, _reply, done) => {
    if (!/^\/v1(beta)?\//.test(request.url)) return done();
    const presented = presentedKey(request.headers, request.query);
    if (!keys.some((k) => adminKeyMatches(presented, k))) return done(new GatewayError('authentication', 'Missing or invalid gateway API key'));
    done();
  });
}
