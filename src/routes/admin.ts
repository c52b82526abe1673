import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseBody } from '../dialect-kit/validate.js';
import { GatewayError } from '../errors.js';
import type { Services } from '../services.js';
import type { StatusAccess } from './status-access.js';
import { addKey, poolOr404, removeKey, validKey, viewOf } from './admin-keys.js';
import { allowanceView } from './allowance-status.js';
import { registerClientAdminRoutes } from './admin-clients.js';

const AddKeyBody = z.looseObject({ key: z.string() });

function fingerprintParam(request: FastifyRequest): string {
  const { fingerprint } = request.params as { fingerprint: string };
  return fingerprint;
}

/**
 * Runs key-list changes one at a time: each is a read-modify-write of the store and a pool
 * reload, and two interleaved ones could lose an update. Instance state, one per app.
 */
function serialQueue(): <T>(task: () => Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return (task) => {
    const run = tail.then(task, task);
    tail = run.catch(() => undefined);
    return run;
  };
}

/**
 * /admin/api: key management, only when ADMIN_KEY is set. Without it no route is registered,
 * so every /admin path answers 404 as if the API did not exist.
 */
export function registerAdminRoutes(app: FastifyInstance, services: Services, access: StatusAccess): void {
  const adminKey = services.settings.adminKey;
  if (!adminKey) return;
  const serial = serialQueue();

  void app.register(async (admin) => {
    // The admin key (header, or the /status sign-in session), wrong keys rate limited.
    admin.addHook('onRequest', access.hook(false));
    const config = { dialect: 'openai-chat' as const };

    admin.get('/keys', { config }, async () => ({
      source: services.credentials.describe(),
      keys: services.keys.pool?.snapshot() ?? [],
    }));

    admin.post('/keys', { config }, async (request, reply) => {
      const secret = validKey(parseBody(AddKeyBody, request.body ?? {}).key);
      const { created, ...key } = await serial(() => addKey(services, secret));
      return reply.code(created ? 201 : 200).send(key);
    });

    admin.delete('/keys/:fingerprint', { config }, async (request) => {
      const fp = fingerprintParam(request);
      await serial(() => removeKey(services, fp));
      return { fingerprint: fp, removed: true };
    });

    admin.post('/keys/:fingerprint/reinstate', { config }, async (request) => {
      const fp = fingerprintParam(request);
      const pool = poolOr404(services, fp);
      viewOf(pool, fp);
      pool.reinstate(fp);
      // Written before the answer (with Redis unreachable it waits in the queue and is replayed).
      await services.store.flush();
      return viewOf(pool, fp);
    });

    admin.post('/keys/:fingerprint/reset', { config }, async (request) => {
      const fp = fingerprintParam(request);
      const pool = poolOr404(services, fp);
      viewOf(pool, fp);
      pool.resetCounters(fp);
      return viewOf(pool, fp);
    });

    // Asks Factory's usage endpoints about the key now, whatever its schedule.
    admin.post('/keys/:fingerprint/check', { config }, async (request) => {
      const fp = fingerprintParam(request);
      const allowance = await services.allowance?.checkNow(fp);
      if (!allowance) throw new GatewayError('not_found', `No key with fingerprint ${fp}`, { param: 'fingerprint' });
      return { fingerprint: fp, allowance: allowanceView(allowance, services.clock.now()) };
    });

    admin.post('/keys/reset', { config }, async () => ({ reset: services.keys.pool?.resetCounters() ?? 0 }));

    registerClientAdminRoutes(admin, services);
  }, { prefix: '/admin/api' });
}
