import cluster, { type Worker } from 'node:cluster';
import type { FastifyBaseLogger } from 'fastify';
import { RateLimiterClusterMaster } from 'rate-limiter-flexible';
import type { Settings } from '../config/load.js';
import { openStore } from '../state/open-store.js';
import { isWorkerRequest, type PrimaryMessage } from './messages.js';
import { StateHub } from './state-hub.js';

/**
 * WORKERS mode: the primary process forks the workers (they share the listening port, and
 * Node's primary hands connections out in turn), owns the state store, relays key-status
 * changes between workers, and restarts a worker that dies.
 */
export async function runPrimary(settings: Settings, log: FastifyBaseLogger, count: number): Promise<void> {
  const store = await openStore({ kind: settings.store, dataDir: settings.dataDir, redis: settings.redis, log });
  const workers = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  const broadcast = (msg: PrimaryMessage, except?: number) => {
    for (const w of workers()) if (w.id !== except && w.isConnected()) w.send(msg);
  };
  const hub = new StateHub(store, broadcast);
  await hub.init();
  // Counts the workers' failed authentications (routes/auth-limiter.ts) in one place.
  new RateLimiterClusterMaster();

  cluster.on('message', (worker, msg: unknown) => {
    if (!isWorkerRequest(msg)) return;
    hub
      .handle(worker.id, msg)
      .then((reply) => {
        if (reply && worker.isConnected()) worker.send(reply);
      })
      .catch((err: unknown) => log.error({ err }, 'state hub failed'));
  });

  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return;
    log.warn({ worker: worker.id, code, signal }, 'worker exited: starting another');
    cluster.fork();
  });
  for (let i = 0; i < count; i++) cluster.fork();
  log.info({ workers: count, store: store.kind }, 'droid2api primary started');

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping workers');
    await Promise.all(
      workers().map((w) => new Promise<void>((resolve) => {
        w.once('exit', () => resolve());
        w.process.kill('SIGTERM');
      })),
    );
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => broadcast({ type: 'd2a:reload' }));
}
