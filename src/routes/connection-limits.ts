import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { ClientLimits } from '../config/client-limits.js';

/**
 * Fastify's server options for the slow-client limits. Node checks its head and request
 * deadlines on a sweep (30 s apart by default), so the sweep runs a tenth as often as the
 * shorter deadline: a dripped body is cut close to its limit, not up to half a minute late.
 * `connectionTimeout` (a socket's inactivity) stays off on purpose: it would also cut an
 * answer the gateway is still waiting for (a long non-stream answer, a quiet stream), and
 * each of those waits is bounded by the upstream limits instead.
 */
export function serverOptions(limits: ClientLimits) {
  const sweep = Math.min(5_000, Math.max(25, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 10)));
  return {
    connectionTimeout: 0,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      connectionsCheckingInterval: sweep,
    },
  };
}

/**
 * At most `max` open connections per client address (0: no cap): one more is closed as it
 * arrives, before a byte of it is read, so one host cannot take every socket the gateway has.
 * Counts by the socket's own address: behind a reverse proxy every client is the proxy.
 */
export function capConnectionsPerAddress(server: Server, max: number): void {
  if (max <= 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = open.get(address) ?? 0;
    if (count >= max) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left <= 0) open.delete(address);
      else open.set(address, left);
    });
  });
}
