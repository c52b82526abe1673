import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { DialectId } from '../dialects/ir.js';
import { DIALECTS } from '../dialects/registry.js';
import { GatewayError } from '../errors.js';

/** The API's canonical routes, with the dialect each speaks. */
const ROUTES: ReadonlyArray<{ method: string; path: string; dialect: DialectId }> = [
  { method: 'POST', path: '/v1/chat/completions', dialect: 'openai-chat' },
  { method: 'POST', path: '/v1/responses', dialect: 'openai-responses' },
  { method: 'GET', path: '/v1/models', dialect: 'openai-chat' },
  { method: 'POST', path: '/v1/messages', dialect: 'anthropic' },
  { method: 'POST', path: '/v1/messages/count_tokens', dialect: 'anthropic' },
  { method: 'POST', path: '/v1/generate', dialect: 'google' },
  { method: 'POST', path: '/v1beta/models/{model}:generateContent', dialect: 'google' },
];

const METHODS = ['GET', 'POST', 'DELETE'] as const;
/** Paths are compared on their first characters only: a scanner's long path costs no more. */
const COMPARED_LENGTH = 80;

/** The dialect an unknown path suggests, for its error's shape (OpenAI's by default). */
export function dialectOfPath(url: string): DialectId {
  const path = url.split('?', 1)[0]!.toLowerCase();
  if (path.includes('/messages')) return 'anthropic';
  if (path.includes('v1beta') || path.includes('generate')) return 'google';
  if (path.includes('/responses')) return 'openai-responses';
  return 'openai-chat';
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

function closestRoute(path: string): (typeof ROUTES)[number] {
  const p = path.toLowerCase().slice(0, COMPARED_LENGTH);
  let best = ROUTES[0]!;
  let bestDistance = Infinity;
  for (const r of ROUTES) {
    const d = distance(p, r.path.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [r, d];
  }
  return best;
}

/** The 404 of an unknown path: the closest route and the base URL its client should have. */
export function notFoundHint(method: string, url: string, host: string | undefined): GatewayError {
  const path = url.split('?', 1)[0]!;
  const shown = path.length > COMPARED_LENGTH ? `${path.slice(0, COMPARED_LENGTH)}…` : path;
  const route = closestRoute(path);
  const suggested = dialectOfPath(path);
  // What each dialect's SDK wants as its base URL is the dialect's fact (its profile).
  const advice = DIALECTS[suggested === 'openai-chat' ? route.dialect : suggested].profile.baseUrlAdvice;
  // The Host header names the gateway as the client reached it; anything odd is not echoed.
  const shownHost = host !== undefined && /^[A-Za-z0-9.:[\]-]{1,100}$/.test(host) ? host : 'HOST';
  return new GatewayError('not_found', `No route for ${method} ${shown}. Closest route: ${route.method} ${route.path}; ${advice.replaceAll('HOST', shownHost)}.`);
}

/**
 * Unknown paths and wrong methods, answered in onRequest: before any body is read, so a
 * scanner's 50 MB post costs nothing. A path another method serves answers 405 with `Allow`.
 */
export function registerRouteHints(app: FastifyInstance): void {
  app.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    if (!request.is404) return done();
    const allowed = METHODS.filter((m) => m !== request.method && app.findRoute({ method: m, url: request.url }) !== null);
    if (allowed.length === 0) return done(notFoundHint(request.method, request.url, request.headers.host));
    void reply.header('allow', allowed.join(', '));
    done(new GatewayError('invalid_request', `${request.method} is not allowed on this path: use ${allowed.join(' or ')}`, { status: 405 }));
  });
}
