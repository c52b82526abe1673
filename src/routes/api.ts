import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { DialectId } from '../dialects/ir.js';
import { GatewayError } from '../errors.js';
import { countTokens } from '../pipeline/count-tokens.js';
import { proxy, type ProxyInput } from '../pipeline/proxy.js';
import type { Services } from '../services.js';
import { writeResult } from './write-result.js';

/** Aborts the upstream call when the client goes away before the answer is complete. */
function clientSignal(request: FastifyRequest): AbortSignal {
  const ac = new AbortController();
  request.raw.socket.once('close', () => ac.abort());
  return ac.signal;
}

/** Gemini SDK paths: /v1beta/models/{model}:generateContent | :streamGenerateContent. */
export function parseGeminiAction(path: string): { model: string; stream: boolean } {
  const m = /^(.+):(generateContent|streamGenerateContent)$/.exec(decodeURIComponent(path));
  if (!m) throw new GatewayError('not_found', `Unknown Gemini method in ${path}`);
  return { model: m[1]!.replace(/^models\//, ''), stream: m[2] === 'streamGenerateContent' };
}

/** The thin API routes: parse, call the pipeline, write. Each declares its dialect for errors. */
export function registerApiRoutes(app: FastifyInstance, services: Services): void {
  const handle = (dialect: DialectId, extra?: (req: FastifyRequest) => Partial<ProxyInput>) =>
    async (request: FastifyRequest, reply: import('fastify').FastifyReply) => {
      const client = services.dialects[dialect];
      const result = await proxy(services, {
        client,
        body: request.body,
        headers: request.headers,
        signal: clientSignal(request),
        ...extra?.(request),
      });
      await writeResult(reply, result, client);
    };

  app.post('/v1/chat/completions', { config: { dialect: 'openai-chat' } }, handle('openai-chat'));
  app.post('/v1/responses', { config: { dialect: 'openai-responses' } }, handle('openai-responses'));
  app.post('/v1/messages', { config: { dialect: 'anthropic' } }, handle('anthropic'));
  app.post('/v1/generate', { config: { dialect: 'google' } }, handle('google'));
  for (const prefix of ['/v1beta/models/*', '/v1/models/*']) {
    app.post(prefix, { config: { dialect: 'google' } }, handle('google', (req) => {
      const params = req.params as Record<string, string>;
      const action = parseGeminiAction(params['*'] ?? '');
      return { model: action.model, stream: action.stream };
    }));
  }
  app.post('/v1/messages/count_tokens', { config: { dialect: 'anthropic' } }, async (request) =>
    countTokens(services, request.body, request.headers, clientSignal(request)),
  );
}
