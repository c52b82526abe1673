import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.js';
import { statusPage } from '../web/status-page.js';
import { statusDocument } from './status-data.js';
import { configurationSection, historySeries, trafficSections } from './status-traffic.js';
import { DIMENSIONS } from '../history/counts.js';
import { isRangeName, type RangeName } from '../history/summary.js';

function rangeOf(query: unknown): RangeName {
  const range = (query as Record<string, unknown> | undefined)?.range;
  return isRangeName(range) ? range : '24h';
}

/**
 * GET /status (the live dashboard) and GET /status.json (what it shows). Public, as in
 * droid2api v2: only masked keys and counters leave; the page's admin buttons need ADMIN_KEY.
 */
export function registerStatusRoutes(app: FastifyInstance, services: Services, version: string): void {
  const startedAt = services.clock.now();
  const admin = Boolean(services.settings.adminKey);
  const config = { dialect: 'openai-chat' as const };

  app.get('/status.json', { config }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const range = rangeOf(request.query);
    const doc = statusDocument(services, version, startedAt);
    const { active, cooling, disabled, retired } = doc.totals;
    return { ...doc, configuration: configurationSection(services, { active, cooling, disabled, retired }), ...(await trafficSections(services, range)) };
  });

  // The charts' data: one series per dimension value over the chosen range.
  app.get('/status/history.json', { config }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const query = request.query as Record<string, unknown>;
    const dimension = DIMENSIONS.find((d) => d === query.dimension) ?? 'all';
    return historySeries(services, rangeOf(query), dimension);
  });

  app.get('/status', { config }, async (_request, reply) => {
    // Rendered per request: the figures are in the page itself (no JavaScript needed).
    const page = statusPage(admin, statusDocument(services, version, startedAt));
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-security-policy', page.contentSecurityPolicy)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(page.html);
  });
}
