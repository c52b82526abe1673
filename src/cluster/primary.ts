import cluster, { type Worker } from 'node:cluster';
import type { FastifyBaseLogger } from 'fastify';
import { RateLimiterClusterMaster } from 'rate-limiter-flexible';
import type { Settings } from '../config/load.js';
import { systemClock } from '../runtime/clock.js';
import { shutdownTimeoutMs } from '../config/shutdown-timeout.js';
import { openStore } from '../state/open-store.js';
import { isWorkerRequest, type PrimaryMessage } from './messages.js';
import { DEFAULT_RESPAWN_POLICY, RespawnBudget } from './respawn.js';
import { StateHub } from './state-hub.js';
import { isLimitRequest, LimitHub } from './limit-hub.js';
import { openHistory } from '../history/open-history.js';
import { seedLimitsFromHistory } from '../clients/seed.js';

/**
 * WORKERS mode: the primary process forks the workers (they share the listening port, and
 * Node's primary hands connections out in turn), owns the state store, relays key-status
 * changes between workers, and restarts a worker that dies, backing off when workers die
 * young, and stopping with one line when they keep doing so.
 */
export async function runPrimary(settings: Settings, log: FastifyBaseLogger, count: number): Promise<void> {
  const clock = systemClock;
  const store = await openStore({ kind: settings.store, dataDir: settings.dataDir, redis: settings.redis, log });
  const workers = (): Worker[] => Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
  // A worker may die between isConnected() and the write: the error (EPIPE) must not kill the primary.
  const send = (w: Worker, msg: PrimaryMessage) => {
    if (!w.isConnected()) return;
    w.send(msg, (err: Error | null) => {
      if (err) log.debug({ worker: w.id, err: err.message }, 'message to a worker not delivered');
    });
  };
  const broadcast = (msg: PrimaryMessage, except?: number) => {
    for (const w of workers()) if (w.id !== except) send(w, msg);
  };
  const hub = new StateHub(store, broadcast, clock);
  await hub.init();
  // Counts the workers' failed authentications (routes/auth-limiter.ts) in one place.
  new RateLimiterClusterMaster();

  const limits = new LimitHub(
    (id, msg) => {
      const w = cluster.workers?.[id];
      if (w) send(w, msg);
    },
    () => workers().map((w) => w.id),
  );
  await seedPrimaryLimits(settings, limits, log);

  cluster.on('message', (worker, msg: unknown) => {
    if (!isWorkerRequest(msg)) return;
    if (isLimitRequest(msg)) {
      const reply = limits.handle(worker.id, msg);
      if (reply) send(worker, reply);
      return;
    }
    hub
      .handle(worker.id, msg)
      .then((reply) => {
        if (reply) send(worker, reply);
      })
      .catch((err: unknown) => log.error({ err }, 'state hub failed'));
  });

  const bornAt = new Map<number, number>();
  const fork = () => {
    const w = cluster.fork();
    bornAt.set(w.id, clock.now());
    w.on('error', (err: Error) => log.debug({ worker: w.id, err: err.message }, 'worker channel error'));
  };
  const budget = new RespawnBudget(DEFAULT_RESPAWN_POLICY);
  let stopping = false;
  cluster.on('exit', (worker, code, signal) => {
    limits.workerGone(worker.id, clock.now());
    if (stopping) return;
    const now = clock.now();
    const decision = budget.exited(now, now - (bornAt.get(worker.id) ?? now));
    bornAt.delete(worker.id);
    if (decision.action === 'give-up') {
      stopping = true;
      for (const w of workers()) w.process.kill('SIGTERM');
      const window = DEFAULT_RESPAWN_POLICY.windowMs / 1000;
      process.stderr.write(`droid2api: workers keep dying at start (${decision.failures} within ${window} s, the last with ${signal ?? `code ${String(code)}`}); stopping so the service manager restarts the gateway: see the workers' errors above\n`);
      void store.close().finally(() => process.exit(1));
      return;
    }
    log.warn({ worker: worker.id, code, signal, delayMs: decision.delayMs }, 'worker exited: starting another');
    void clock.sleep(decision.delayMs).then(() => {
      if (!stopping) fork();
    });
  });
  for (let i = 0; i < count; i++) fork();
  log.info({ workers: count, store: store.kind }, 'droid2api primary started');

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping workers');
    const exited = Promise.all(
      workers().map((w) => new Promise<void>((resolve) => {
        w.once('exit', () => resolve());
        w.process.kill('SIGTERM');
      })),
    );
    // Each worker keeps SHUTDOWN_TIMEOUT_MS itself; one that hangs past it is killed.
    const overdue = new AbortController();
    const late = clock.sleep(shutdownTimeoutMs(settings.env) + 2_000, overdue.signal).then(() => true, () => false);
    if (await Promise.race([exited.then(() => false), late])) for (const w of workers()) w.process.kill('SIGKILL');
    overdue.abort();
    await exited;
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGHUP', () => broadcast({ type: 'd2a:reload' }));
}

/** The client limits start from what the history holds (the workers write it; with Redis the limits live there). */
async function seedPrimaryLimits(settings: Settings, limits: LimitHub, log: FastifyBaseLogger): Promise<void> {
  if (settings.store === 'redis') return;
  try {
    const history = await openHistory({ kind: settings.store, dataDir: settings.dataDir, redis: settings.redis, usageRetentionDays: settings.usageRetentionDays });
    await seedLimitsFromHistory(limits.limits, history, systemClock.now());
    await history.close();
  } catch (err) {
    log.error({ err }, 'client usage could not be read back from the history; limits start from zero');
  }
}
