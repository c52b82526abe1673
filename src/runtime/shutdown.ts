import type { FastifyInstance } from 'fastify';
import type { Clock } from './clock.js';
import { every } from './interval.js';

/** How often sockets that became idle during the shutdown are closed. */
const IDLE_SWEEP_MS = 100;

export interface ShutdownParts {
  app: FastifyInstance;
  /** Writes the queued key state. */
  flush(): Promise<void>;
  /** Closes what the app used (store, upstream pools), after the server. */
  closeServices(): Promise<void>;
  clock: Clock;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/**
 * Stops within `timeoutMs`: the key state is written first (an orchestrator's SIGKILL may
 * follow), then the server stops accepting, idle keep-alive sockets are closed at once and
 * as others fall idle, requests finish while there is time, and streams still open at the
 * deadline are ended with their dialect's error event. A margin at the end is kept for the
 * streams' last bytes and the final close.
 */
export async function shutDown(parts: ShutdownParts, timeoutMs: number): Promise<void> {
  const { app, clock, log } = parts;
  const started = clock.now();
  await parts.flush().catch((err: unknown) => log.error({ err }, 'state flush at shutdown failed'));
  log.info({ ms: clock.now() - started }, 'state flushed');
  const closing = app.close();
  const sweeper = every(IDLE_SWEEP_MS, () => app.server.closeIdleConnections());
  const margin = Math.min(1_000, Math.floor(timeoutMs / 10));
  const stopWaiting = new AbortController();
  const late = clock.sleep(Math.max(0, timeoutMs - margin - (clock.now() - started)), stopWaiting.signal).then(() => true, () => false);
  const timedOut = await Promise.race([closing.then(() => false), late]);
  stopWaiting.abort();
  if (timedOut) {
    log.warn({ streams: app.openStreams.endAll() }, 'shutdown deadline reached: open streams ended');
    const closed = closing.then(() => true);
    const stopped = new AbortController();
    // Ended streams leave their sockets idle (swept); anything else still open is cut.
    const inTime = await Promise.race([closed, clock.sleep(margin / 2, stopped.signal).then(() => false, () => true)]);
    stopped.abort();
    if (!inTime) app.server.closeAllConnections();
    await closing;
  }
  sweeper.stop();
  await parts.closeServices();
}
