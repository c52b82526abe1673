import { ConfigError } from './config-error.js';

/**
 * How long a client may take to send its request, and how many connections one address may
 * hold. Set by environment variables, like the listener's HOST and PORT; none of them ever
 * applies to an answer the gateway is sending.
 */
export interface ClientLimits {
  /** HEADERS_TIMEOUT_MS: from the connection (or the previous answer) to the end of the request head. */
  headersTimeoutMs: number;
  /** REQUEST_TIMEOUT_MS: to receive a whole request, body included. */
  requestTimeoutMs: number;
  /** KEEP_ALIVE_TIMEOUT_MS: how long an idle keep-alive connection stays open after an answer. */
  keepAliveTimeoutMs: number;
  /** MAX_CONNECTIONS_PER_IP: open connections one client address may hold; 0 = no cap. */
  maxConnectionsPerIp: number;
}

const DEFAULTS: ClientLimits = {
  headersTimeoutMs: 30_000,
  // A 50 MB body at 1 MB/s still fits; a body dripped a byte at a time does not.
  requestTimeoutMs: 120_000,
  // Above the 60 s idle timeout of common load balancers, so they close first.
  keepAliveTimeoutMs: 72_000,
  maxConnectionsPerIp: 256,
};

function number(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new ConfigError(`${name}: expected an integer ≥ ${min}, got ${raw}`);
  return value;
}

export function clientLimitsFromEnv(env: NodeJS.ProcessEnv): ClientLimits {
  const limits: ClientLimits = {
    headersTimeoutMs: number(env, 'HEADERS_TIMEOUT_MS', DEFAULTS.headersTimeoutMs, 1),
    requestTimeoutMs: number(env, 'REQUEST_TIMEOUT_MS', DEFAULTS.requestTimeoutMs, 1),
    keepAliveTimeoutMs: number(env, 'KEEP_ALIVE_TIMEOUT_MS', DEFAULTS.keepAliveTimeoutMs, 1),
    maxConnectionsPerIp: number(env, 'MAX_CONNECTIONS_PER_IP', DEFAULTS.maxConnectionsPerIp, 0),
  };
  // Node refuses a head deadline beyond the whole request's.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError(`HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}) must not exceed REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs})`);
  }
  return limits;
}
