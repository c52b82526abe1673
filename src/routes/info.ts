import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../errors.js';
import type { Services } from '../services.js';
import type { ApiRoute } from './api-scope.js';

export const API_ENDPOINTS = [
  'GET /v1/models',
  'POST /v1/chat/completions',
  'POST /v1/responses',
  'POST /v1/messages',
  'POST /v1/messages/count_tokens',
  'POST /v1/generate',
  'POST /v1beta/models/{model}:generateContent',
  'POST /v1beta/models/{model}:streamGenerateContent',
];

/** The model lists (OpenAI, Anthropic and Gemini SDKs), inside the authenticated API scope. */
export function registerModelRoutes(route: ApiRoute, services: Services): void {
  const startedAt = Math.floor(services.clock.now() / 1000);
  const startedIso = new Date(startedAt * 1000).toISOString();
  // One entry serves both SDKs: OpenAI's fields (object, created, owned_by) and Anthropic's
  // (type, display_name, created_at); each ignores the other's.
  const modelEntry = (m: Services['settings']['config']['models'][number]) => ({
    id: m.id,
    object: 'model',
    created: startedAt,
    owned_by: m.provider ?? m.type,
    type: 'model',
    display_name: m.name ?? m.id,
    created_at: startedIso,
  });

  route('GET', '/v1/models', { config: { dialect: 'openai-chat' } }, async (request) => {
    // A client key with an allow-list sees the models it may use.
    const allowed = request.apiClient?.allowed;
    const data = services.settings.config.models.filter((m) => allowed === undefined || allowed(m.id)).map(modelEntry);
    // OpenAI's list shape, plus Anthropic's paging fields for the Anthropic SDK's models.list().
    return { object: 'list', data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
  });

  route('GET', '/v1/models/:id', { config: { dialect: 'openai-chat' } }, async (request) => {
    const { id } = request.params as { id: string };
    const target = services.settings.config.model_redirects[id] ?? id;
    const model = services.settings.config.models.find((m) => m.id === target);
    if (!model) throw new GatewayError('not_found', `The model '${id}' does not exist`, { param: 'model', detail: 'model_not_found' });
    return { ...modelEntry(model), id };
  });

  // The Gemini SDK's models.list() / models.get() (https://ai.google.dev/api/models).
  const geminiEntry = (m: Services['settings']['config']['models'][number]) => ({
    name: `models/${m.id}`,
    displayName: m.name ?? m.id,
    supportedGenerationMethods: ['generateContent', 'streamGenerateContent', 'countTokens'],
  });
  route('GET', '/v1beta/models', { config: { dialect: 'google' } }, async () => ({ models: services.settings.config.models.map(geminiEntry) }));
  route('GET', '/v1beta/models/:id', { config: { dialect: 'google' } }, async (request) => {
    const { id } = request.params as { id: string };
    const model = services.settings.config.models.find((m) => m.id === (services.settings.config.model_redirects[id] ?? id));
    if (!model) throw new GatewayError('not_found', `models/${id} is not found`);
    return geminiEntry(model);
  });
}

/** GET / and the health probes: public. */
export function registerInfoRoutes(app: FastifyInstance, services: Services, version: string): void {
  app.get('/', async () => ({
    name: 'droid2api',
    version,
    description: 'OpenAI, Anthropic and Gemini compatible gateway for Factory models',
    endpoints: API_ENDPOINTS,
  }));

  app.get('/healthz', async () => ({ status: 'ok' }));
  // Serving, and how the state store is: `degraded` while a shared Redis is unreachable (requests
  // are still served; changes wait). Nothing about keys.
  app.get('/readyz', async () => ({ status: 'ready', store: { kind: services.store.kind, ...(services.store.health?.() ?? { state: 'ok' }) } }));
}
