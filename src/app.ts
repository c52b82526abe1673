import Fastify, { LogController, type FastifyInstance } from 'fastify';
import { registerAdminRoutes } from './routes/admin.js';
import { registerApiRoutes } from './routes/api.js';
import { accessSettings } from './config/access.js';
import { registerApiScope } from './routes/api-scope.js';
import { createAuthFailureLimiter } from './routes/auth-limiter.js';
import { capConnectionsPerAddress, serverOptions } from './routes/connection-limits.js';
import { registerErrorHandling } from './routes/errors.js';
import { registerInfoRoutes, registerModelRoutes } from './routes/info.js';
import { registerRouteHints } from './routes/route-hints.js';
import { registerMetricsRoutes } from './routes/metrics.js';
import { StatusAccess } from './routes/status-access.js';
import { registerStatusRoutes } from './routes/status.js';
import { registerJsonBody } from './routes/json-body.js';
import { registerOpenStreams } from './routes/open-streams.js';
import { LazyChildLogger } from './runtime/lazy-child-logger.js';
import type { Services } from './services.js';
import { incomingRequestId, REQUEST_ID_HEADER } from './observability/request-id.js';
import { logRequests } from './observability/request-log.js';

import { VERSION } from './version.js';

export { VERSION };

/**
 * Bodies outside the authenticated API routes (admin, status sign-in): small. The largest is
 * an admin key add (`{"key": …}`, well under 1 KB); 64 KB leaves room without letting an
 * unauthenticated caller make the process hold megabytes.
 */
const SMALL_BODY_LIMIT = 64 * 1024;

/** TRUST_PROXY as Fastify takes it (a hop count as the function proxy-addr would make of it). */
function proxyTrust(value: string | number | undefined): string | boolean | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return value ?? false;
}

/** Builds the HTTP server from its services; main.ts and the tests both call this. */
export async function buildApp(services: Services): Promise<FastifyInstance> {
  const access = accessSettings(services.settings.env);
  const app = Fastify({
    loggerInstance: services.log,
    bodyLimit: SMALL_BODY_LIMIT,
    // Whether X-Forwarded-For names the client: only from the proxies TRUST_PROXY names.
    trustProxy: proxyTrust(access.trustProxy),
    // One line per outcome is written by the error handler; no per-request log cost on success.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: (req) => incomingRequestId(req.headers[REQUEST_ID_HEADER]) ?? services.ids.next('req_'),
    childLoggerFactory: (logger, bindings, options) => new LazyChildLogger(logger, bindings, options),
    ...serverOptions(services.settings.clientLimits),
  });
  capConnectionsPerAddress(app.server, services.settings.clientLimits.maxConnectionsPerIp);

  registerJsonBody(app);
  const limiter = createAuthFailureLimiter(services.settings, access.authFailuresPerMinute, services.clock, services.log);
  app.addHook('onClose', async () => limiter.close());
  registerOpenStreams(app);

  // Set on the raw response so streamed (hijacked) replies carry it too.
  // Hooks on every request take a callback: an async hook costs a promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.raw.setHeader(REQUEST_ID_HEADER, request.id);
    done();
  });

  logRequests(services.requests, services.log);
  registerErrorHandling(app, services);
  const statusAccess = new StatusAccess(services, access, limiter);
  registerMetricsRoutes(app, services, statusAccess.hook(access.metricsPublic));
  // After the metrics hook, which must see every request, answered ones included.
  registerRouteHints(app);
  registerInfoRoutes(app, services, VERSION);
  registerStatusRoutes(app, services, VERSION, statusAccess, access.statusPublic);
  registerAdminRoutes(app, services, statusAccess);
  registerApiScope(app, services, access, limiter, (route) => {
    registerApiRoutes(route, services);
    registerModelRoutes(route, services);
  });
  return app;
}
