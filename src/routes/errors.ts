import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError, toGatewayError } from '../errors.js';
import type { Dialect } from '../dialects/dialect.js';
import type { Services } from '../services.js';
import { dialectOfPath } from './route-hints.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The client dialect whose error shape this route answers in. */
    dialect?: string;
  }
}

/** Fastify's own errors (bad JSON, body too large, wrong content type) → the catalogue. */
function fromFastify(err: FastifyError): GatewayError | undefined {
  if (err.statusCode === 413) return new GatewayError('request_too_large', 'The request body is too large', { cause: err });
  if (err.statusCode === 400 || err.statusCode === 415) {
    return new GatewayError('invalid_request', err.message || 'The request body is not valid JSON', { cause: err });
  }
  return undefined;
}

/** A URL without its query string. */
export function pathOf(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function dialectFor(request: FastifyRequest): string {
  const declared = request.routeOptions.config?.dialect;
  return declared ?? dialectOfPath(request.url);
}

function errorDialect(services: Services, request: FastifyRequest): Dialect {
  return services.served.get(dialectFor(request)) ?? services.dialects['openai-chat'];
}

/** The only code that writes an error reply: in the client's dialect, logged once by class. */
export function registerErrorHandling(app: FastifyInstance, services: Services): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const gw = err instanceof GatewayError ? err : (fromFastify(err) ?? toGatewayError(err));
    // The path only: a query string may hold a key (`?key=` is how Gemini clients send theirs).
    const fields = { code: gw.code, status: gw.status, dialect: dialectFor(request), route: request.routeOptions.url, path: pathOf(request.url) };
    if (gw.status >= 500) request.log.error({ ...fields, err: gw.cause ?? gw }, 'request failed');
    else request.log.info(fields, 'request rejected');
    const { status, body } = errorDialect(services, request).errorBody(gw);
    if (gw.retryAfter !== undefined) void reply.header('retry-after', String(gw.retryAfter));
    return reply.code(status).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const gw = new GatewayError('not_found', `No route for ${request.method} ${pathOf(request.url)}`);
    const { status, body } = errorDialect(services, request).errorBody(gw);
    return reply.code(status).send(body);
  });
}
