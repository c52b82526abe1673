import cluster from 'node:cluster';
import type { FastifyBaseLogger } from 'fastify';
import type { ConfigFile } from '../config/schema.js';
import type { Settings } from '../config/load.js';
import type { HistoryStore } from '../history/history-store.js';
import type { Clock } from '../runtime/clock.js';
import type { StateStore } from '../state/store.js';
import { Clients } from './clients.js';
import { LocalBackend, type LimitBackend } from './limit-backend.js';
import { ClientRegistry } from './registry.js';
import { seedLimitsFromHistory } from './seed.js';

export interface ClientsOptions {
  settings: Settings;
  store: StateStore;
  history: HistoryStore;
  clock: Clock;
  log: FastifyBaseLogger;
  config: () => ConfigFile;
}

/** The limit counts of this process: in it, at the primary (WORKERS), or in Redis (replicas). */
async function limitBackend(o: ClientsOptions): Promise<LimitBackend> {
  // Replicas (and the workers of each) count in Redis; workers of one gateway at their primary.
  if (o.settings.store === 'redis') {
    const { RedisBackend } = await import('./redis-backend.js');
    return RedisBackend.open({ url: o.settings.redis.url, prefix: o.settings.redis.prefix, log: o.log, clock: o.clock });
  }
  if (cluster.isWorker) {
    const { workerBackend } = await import('./cluster-backend.js');
    return workerBackend();
  }
  const local = new LocalBackend();
  await seedLimitsFromHistory(local.limits, o.history, o.clock.now()).catch((err: unknown) => o.log.error({ err }, 'client usage could not be read back from the history; limits start from zero'));
  return local;
}

export async function createClients(o: ClientsOptions): Promise<Clients> {
  const registry = new ClientRegistry(o.store, o.clock, o.log);
  await registry.load();
  return new Clients(registry, await limitBackend(o), o.config, o.clock);
}
