import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { registerAdminRoutes } from './routes/admin.js';
import { registerApiRoutes } from './routes/api.js';
import { registerClientAuth } from './routes/client-auth.js';
import { registerErrorHandling } from './routes/errors.js';
import { registerInfoRoutes } from './routes/info.js';
import { registerMetricsRoutes } from './routes/metrics.js';
import { registerStatusRoutes } from './routes/status.js';
import { registerJsonBody } from './routes/json-body.js';
import { registerOpenStreams } from './routes/open-streams.js';
import { LazyChildLogger } from './runtime/lazy-child-logger.js';
import type { Services } from './services.js';
import { incomingRequestId, REQUEST_ID_HEADER } from './observability/request-id.js';
import { logRequests } from './observability/request-log.js';

import { VERSION } from './version.js';

export { VERSION };

/** 50 MB, as droid2api: agents send whole files and images. */
const BODY_LIMIT = 50 * 1024 * 1024;

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, DELETE, OPTIONS',
  'access-control-expose-headers': 'retry-after, request-id, x-request-id',
  'access-control-max-age': '86400',
};

const CORS_ENTRIES = Object.entries(CORS_HEADERS);

/** Browser SDKs send these; a preflight asking for others gets them echoed back. */
const CORS_ALLOWED = [
  'authorization', 'content-type', 'x-api-key', 'anthropic-version', 'anthropic-beta',
  'anthropic-dangerous-direct-browser-access', 'x-session-id', 'x-claude-code-session-id', 'session-id',
  'x-assistant-message-id', 'openai-organization', 'openai-project', 'openai-beta', 'x-goog-api-key',
  'x-stainless-arch', 'x-stainless-lang', 'x-stainless-os', 'x-stainless-package-version',
  'x-stainless-retry-count', 'x-stainless-runtime', 'x-stainless-runtime-version', 'x-stainless-timeout',
  'x-stainless-helper-method',
].join(', ');

/** Builds the HTTP server from its services; main.ts and the tests both call this. */
export async function buildApp(services: Services): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.log,
    bodyLimit: BODY_LIMIT,
    // One line per outcome is written by the error handler; no per-request log cost on success.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => incomingRequestId(req.headers[REQUEST_ID_HEADER]) ?? services.ids.next('req_'),
    childLoggerFactory: (logger, bindings, options) => new LazyChildLogger(logger, bindings, options),
  });

  registerJsonBody(app, BODY_LIMIT);
  registerOpenStreams(app);

  // Set on the raw response so streamed (hijacked) replies carry them too.
  // Hooks on every request take a callback: an async hook costs a promise per request.
  // CORS headers go only to browsers, which send Origin on every cross-origin request;
  // SDKs and CLIs do not, and five validated headers per request are not free.
  app.addHook('onRequest', (request, reply, done) => {
    reply.raw.setHeader(REQUEST_ID_HEADER, request.id);
    if (request.headers.origin === undefined) return done();
    for (const [k, v] of CORS_ENTRIES) reply.raw.setHeader(k, v);
    reply.raw.setHeader('access-control-allow-headers', request.headers['access-control-request-headers'] ?? CORS_ALLOWED);
    done();
  });
  app.options('/*', async (_request, reply) => reply.code(204).send());

  logRequests(services.requests, services.log);
  registerErrorHandling(app, services);
  registerClientAuth(app, services);
  registerMetricsRoutes(app, services);
  registerInfoRoutes(app, services, VERSION);
  registerStatusRoutes(app, services, VERSION);
  registerAdminRoutes(app, services);
  registerApiRoutes(app, services);
  return app;
}
