import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { statusPage } from '../web/status-page.js';
import { statusDocument } from './status-data.js';

/**
 * GET /status (the live dashboard) and GET /status.json (what it shows). Public, as in
 * droid2api v2: only masked keys and counters leave; the page's admin buttons need ADMIN_KEY.
 */
export function registerStatusRoutes(app: FastifyInstance, services: Services, version: string): void {
  const startedAt = services.clock.now();
  const page = statusPage(Boolean(services.settings.adminKey));
  const config = { dialect: 'openai-chat' as const };

  app.get('/status.json', { config }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return statusDocument(services, version, startedAt, request.query);
  });

  app.get('/status', { config }, async (_request, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', page.contentSecurityPolicy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(page.html),
  );
}
