import type { FastifyReply, FastifyRequest } from 'fastify';
import type { DialectId } from '../dialects/ir.js';
import { GatewayError } from '../errors.js';
import { countTokens } from '../pipeline/count-tokens.js';
import { proxy, type ProxyInput } from '../pipeline/proxy.js';
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
 * Gemini SDK paths: /v1beta/models/{model}:generateContent | :streamGenerateContent.
 * streamGenerateContent streams SSE only with `alt=sse`; without it Gemini answers one
 * JSON array of response chunks, which is the whole answer wrapped in an array here.
 */
export function parseGeminiAction(path: string, alt: string | undefined): { model: string; stream: boolean; jsonArray: boolean } {
  // `path` is the router's wildcard parameter, already percent-decoded once: decoding it again
  // would read `%25E0` as the malformed escape `%E0` (and throw), or `%252F` as a slash.
  const m = /^(.+):(generateContent|streamGenerateContent)$/.exec(path);
  if (!m) throw new GatewayError('not_found', `Unknown Gemini method in ${path}`);
  const streaming = m[2] === 'streamGenerateContent';
  return { model: m[1]!.replace(/^models\//, ''), stream: streaming && alt === 'sse', jsonArray: streaming && alt !== 'sse' };
}

/** The model a body names, if it names one (the pipeline validates it). */
function bodyModel(body: unknown): string | undefined {
  const model = (body as { model?: unknown } | undefined)?.model;
  return typeof model === 'string' ? model : undefined;
}

/**
 * The thin API routes: parse, call the pipeline, write. Each declares its dialect for errors.
 * `route` registers them inside the authenticated API scope (api-scope.ts).
 */
export function registerApiRoutes(route: ApiRoute, services: Services): void {
  const handle = (dialect: DialectId, extra?: (req: FastifyRequest) => Partial<ProxyInput> & { jsonArray?: boolean }) =>
    async (request: FastifyRequest, reply: FastifyReply) => {
      const client = services.dialects[dialect];
      const record = recordRequest(services, request, reply, dialect);
      const { jsonArray, ...overrides } = extra?.(request) ?? {};
      if (request.apiClient) {
        await services.clients.admit(request.apiClient, overrides.model ?? bodyModel(request.body), record).catch((err: unknown) => {
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

  route('POST', '/v1/chat/completions', { config: { dialect: 'openai-chat' } }, handle('openai-chat'));
  route('POST', '/v1/responses', { config: { dialect: 'openai-responses' } }, handle('openai-responses'));
  route('POST', '/v1/messages', { config: { dialect: 'anthropic' } }, handle('anthropic'));
  route('POST', '/v1/generate', { config: { dialect: 'google' } }, handle('google'));
  for (const prefix of ['/v1beta/models/*', '/v1/models/*']) {
    route('POST', prefix, { config: { dialect: 'google' } }, handle('google', (req) => {
      const params = req.params as Record<string, string>;
      const query = req.query as Record<string, string | undefined>;
      return parseGeminiAction(params['*'] ?? '', query.alt);
    }));
  }
  route('POST', '/v1/messages/count_tokens', { config: { dialect: 'anthropic' } }, async (request, reply) => {
    // Counting spends no tokens: the allow-list applies, the limits do not.
    if (request.apiClient) services.clients.checkModel(request.apiClient, bodyModel(request.body));
    return countTokens(services, request.body, request.headers, clientSignal(reply));
  });
}
