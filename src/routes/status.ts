import type { FastifyInstance, FastifyReply } from 'fastify';
import { GatewayError } from '../errors.js';
import type { Services } from '../services.js';
import { signInPage, signOutPage, SIGN_IN_CSP } from '../web/sign-in-page.js';
import { statusPage } from '../web/status-page.js';
import { loadWebAssets, type WebAssets } from '../web/assets.js';
import { statusDocument } from './status-data.js';
import type { StatusAccess } from './status-access.js';
import { statusClients } from './status-clients.js';
import { configurationSection, historySeries, trafficSections } from './status-traffic.js';
import { DIMENSIONS } from '../history/counts.js';
import { isRangeName, type RangeName } from '../history/summary.js';

function rangeOf(query: unknown): RangeName {
  const range = (query as Record<string, unknown> | undefined)?.range;
  return isRangeName(range) ? range : '24h';
}

/** The headers of every HTML page: its own CSP, no sniffing, no referrer, no caching. */
export function sendPage(reply: FastifyReply, status: number, html: string, csp: string): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', csp)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .send(html);
}

/** The sign-in form's one field, `key`, from an urlencoded body. */
function formKey(body: unknown): string | undefined {
  return typeof body === 'string' ? (new URLSearchParams(body).get('key')?.trim() || undefined) : undefined;
}

/**
 * GET /status (the live dashboard) and GET /status.json (what it shows), behind StatusAccess:
 * a visitor without the key gets the sign-in page, which sets a session cookie
 * (status-session.ts) and never puts the key in a URL.
 */
export function registerStatusRoutes(app: FastifyInstance, services: Services, version: string, access: StatusAccess, open: boolean): void {
  const startedAt = services.clock.now();
  const admin = Boolean(services.settings.adminKey);
  const config = { dialect: 'openai-chat' as const };
  // Relative to /status/sign-in and /status/sign-out: back to /status, behind any path prefix.
  const back = '../status';
  // Read on first use and kept for this server's life (a test's many apps share nothing).
  let assetsLoading: Promise<WebAssets> | undefined;
  const assets = () => (assetsLoading ??= loadWebAssets());

  void app.register(async (scope) => {
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => done(null, body));

    scope.get('/status.json', { config, onRequest: access.hook(open) }, async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const range = rangeOf(request.query);
      const doc = statusDocument(services, version, startedAt, request.query);
      const { active, cooling, disabled, retired } = doc.totals;
      // Clients are the admin's business: shown when the viewer holds the admin key (or its session).
      const clients = admin && (await access.check(request, false)).ok ? { clients: await statusClients(services) } : {};
      const [traffic, processes] = await Promise.all([trafficSections(services, range), services.presence.live()]);
      return { ...doc, configuration: configurationSection(services, { active, cooling, disabled, retired }, processes), ...traffic, ...clients };
    });

    // The charts' data: one series per dimension value over the chosen range.
    scope.get('/status/history.json', { config, onRequest: access.hook(open) }, async (request, reply) => {
      void reply.header('cache-control', 'no-store');
      const query = request.query as Record<string, unknown>;
      const dimension = DIMENSIONS.find((d) => d === query.dimension) ?? 'all';
      return historySeries(services, rangeOf(query), dimension);
    });

    // The page's stylesheets and scripts: public (the sign-in page needs them too, and they
    // hold no figures), revalidated by ETag so a new build shows at once.
    scope.get('/status/assets/:name', { config }, async (request, reply) => {
      const file = (await assets()).get((request.params as { name: string }).name);
      if (!file) throw new GatewayError('not_found', 'No such status page asset.');
      void reply.header('etag', file.etag).header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
      const known = request.headers['if-none-match']?.split(',').map((tag) => tag.trim().replace(/^W\//, ''));
      if (known?.includes(file.etag)) return reply.code(304).send();
      return reply.header('content-type', file.contentType).send(file.body);
    });

    scope.get('/status', { config }, async (request, reply) => {
      const outcome = await access.check(request, open);
      const web = await assets();
      if (outcome.ok) {
        // Rendered per request: the figures are in the page itself (no JavaScript needed).
        const page = statusPage(web, admin, statusDocument(services, version, startedAt));
        return sendPage(reply, 200, page.html, page.contentSecurityPolicy);
      }
      if (outcome.presented) throw outcome.error;
      // 200: the sign-in form is the page; the JSON routes answer 401.
      return sendPage(reply, 200, signInPage(web, { what: access.what, action: 'status/sign-in', assetBase: 'status/assets/' }), SIGN_IN_CSP);
    });

    if (!access.sessions) return;
    const sessions = access.sessions;
    scope.post('/status/sign-in', { config }, async (request, reply) => {
      const key = formKey(request.body);
      const outcome = key === undefined ? undefined : await access.checkKey(request, key);
      if (outcome?.ok) return reply.header('set-cookie', sessions.cookie(request, sessions.issue())).redirect(back, 303);
      const message = outcome?.error.code === 'rate_limited' ? 'Too many wrong keys: wait a minute.' : `Wrong ${access.what}.`;
      if (outcome?.error.retryAfter !== undefined) void reply.header('retry-after', String(outcome.error.retryAfter));
      const page = signInPage(await assets(), { what: access.what, message, action: 'sign-in', assetBase: 'assets/' });
      return sendPage(reply, outcome?.error.status ?? 401, page, SIGN_IN_CSP);
    });
    scope.get('/status/sign-out', { config }, async (_request, reply) =>
      sendPage(reply, 200, signOutPage(await assets(), { action: 'sign-out', assetBase: 'assets/' }), SIGN_IN_CSP),
    );
    scope.post('/status/sign-out', { config }, async (request, reply) =>
      reply.header('set-cookie', sessions.cookie(request, undefined)).redirect(back, 303),
    );
  });
}
