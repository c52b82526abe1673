import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Dialect } from '../dialects/dialect.js';
import type { DialectRoute } from '../dialects/profile.js';
import { GatewayError } from '../errors.js';
import { countTokens } from '../pipeline/count-tokens.js';
import { requestedModel } from '../pipeline/models.js';
import { proxy } from '../pipeline/proxy.js';
import type { Services } from '../services.js';
import { ClientGone } from '../upstream/client-gone.js';
import type { ApiRoute } from './api-scope.js';
import { takeJsonText } from './json-body.js';
import { writeResult } from './write-result.js';
import { recordRequest } from './request-record.js';

/**
 * Aborts the upstream call when the client goes away before its answer is complete. The
 * response's own `close` says so (the socket outlives requests on keep-alive connections).
 */
function clientSignal(reply: FastifyReply): ClientGone {
  const gone = new ClientGone();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) gone.abort();
  });
  return gone;
}

/**
 * The thin API routes: parse, call the pipeline, write. Each declares its dialect for errors.
 * `route` registers them inside the authenticated API scope (api-scope.ts).
 */
export function registerApiRoutes(route: ApiRoute, services: Services): void {
  const handle = (client: Dialect, action: DialectRoute['action']) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const record = recordRequest(services, request, reply, client.id);
      const fromPath = action?.((request.params as Record<string, string>)['*'] ?? '', request.query as Record<string, string | undefined>);
      const { jsonArray, ...overrides } = fromPath ?? {};
      if (request.apiClient) {
        await services.clients.admit(request.apiClient, requestedModel(request.body, overrides.model), record).catch((err: unknown) => {
          record.errorCode = err instanceof GatewayError ? err.code : 'internal';
          throw err;
        });
      }
      const gone = clientSignal(reply);
      const result = await proxy(services, {
        client,
        body: request.body,
        source: () => takeJsonText(request),
        headers: request.headers,
        signal: gone,
        record,
        ...overrides,
      }).catch((err: unknown) => {
        record.errorCode = err instanceof GatewayError ? err.code : 'internal';
        throw err;
      });
      // The answer has begun: nothing needs the parsed request any more, and a stream would
      // keep it (an agent's whole conversation) until its end.
      request.body = undefined;
      if (jsonArray && result.kind === 'json') return reply.code(result.status).send([result.body]);
      if (jsonArray && result.kind === 'json-bytes') return reply.code(result.status).send([JSON.parse(result.body.toString('utf8'))]);
      await writeResult(reply, result, client, record, gone);
    };

  // Each dialect's routes come from its profile, so a new dialect needs no line here.
  for (const client of services.served.values()) {
    for (const spec of client.profile.routes) route('POST', spec.path, { config: { dialect: client.id } }, handle(client, spec.action));
  }
  route('POST', '/v1/messages/count_tokens', { config: { dialect: 'anthropic' } }, async (request, reply) => {
    // Counting spends no tokens: the allow-list applies, the limits do not.
    if (request.apiClient) services.clients.checkModel(request.apiClient, requestedModel(request.body));
    return countTokens(services, request.body, request.headers, clientSignal(reply));
  });
}
