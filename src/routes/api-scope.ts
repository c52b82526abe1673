import type { FastifyInstance, RouteHandlerMethod, RouteShorthandOptions } from 'fastify';
import type { AccessSettings } from '../config/access.js';
import type { Services } from '../services.js';
import { apiAuthenticator, apiAuthHook } from './client-auth.js';
import { corsHook, simpleBodyGuard } from './cors.js';
import type { AuthFailureLimiter } from './auth-limiter.js';

/**
 * Every /v1 path also answers without the prefix and with it doubled: the commonest
 * base-URL mistakes (`http://host` for an OpenAI SDK, `http://host/v1` for Anthropic's).
 */
export function pathForms(path: string): string[] {
  return path.startsWith('/v1/') ? [path, path.slice(3), `/v1${path}`] : [path];
}

/** Registers an API route under each of its path forms, each with its CORS preflight. */
export type ApiRoute = (method: 'GET' | 'POST', path: string, options: RouteShorthandOptions, handler: RouteHandlerMethod) => void;

function apiRouter(api: FastifyInstance, bodyLimit: number): ApiRoute {
  const preflights = new Set<string>();
  return (method, path, options, handler) => {
    for (const url of pathForms(path)) {
      api.route({ ...options, method, url, bodyLimit, handler });
      if (preflights.has(url)) continue;
      preflights.add(url);
      // Answered by the CORS hook before authentication; the handler is never reached.
      api.route({ method: 'OPTIONS', url, config: options.config, bodyLimit: 1024, handler: async (_request, reply) => reply.code(204).send() });
    }
  };
}

/**
 * The API routes inside one plugin whose onRequest hooks decide CORS and authentication:
 * encapsulation, not a test on the URL, so every spelling the router matches (percent-encoded,
 * doubled slashes, any case) passes the same hooks, and before any body is read.
 */
export function registerApiScope(
  app: FastifyInstance,
  services: Services,
  access: AccessSettings,
  limiter: AuthFailureLimiter,
  routes: (route: ApiRoute) => void,
): void {
  const keys = access.gatewayKeys;
  if (keys.length > 0 && !services.keys.pool && !services.keys.refresh) {
    throw new Error('GATEWAY_API_KEY needs server credentials (FACTORY_API_KEY, factory_keys.txt or a refresh token)');
  }
  const serverKeys = () => Boolean(services.keys.pool ?? services.keys.refresh);
  // Client-authorization mode: the caller's own key pays, so every caller presents one.
  // With server keys and no GATEWAY_API_KEY the gateway is open until the first client key exists.
  const keyless = () => keys.length === 0 && serverKeys() && services.clients.registry.size === 0;
  void app.register(async (api) => {
    api.decorateRequest('apiClient', undefined);
    api.addHook('onRequest', corsHook({ origins: access.corsOrigins, keyless }));
    api.addHook('onRequest', simpleBodyGuard(keyless));
    const authenticate = apiAuthenticator(keys, services.clients.registry);
    if (keys.length > 0) api.addHook('onRequest', apiAuthHook(authenticate, limiter));
    // Client keys need server credentials: without them the presented key is what pays upstream.
    else api.addHook('onRequest', apiAuthHook(authenticate, limiter, () => services.clients.registry.size > 0, serverKeys));
    routes(apiRouter(api, access.apiBodyLimit));
  });
}
