import { ConfigError } from './config-error.js';

/** Under Docker's and Kubernetes' 30 s between SIGTERM and SIGKILL. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 25_000;

/** SHUTDOWN_TIMEOUT_MS: milliseconds from SIGTERM to exit; default 25000. */
export function shutdownTimeoutMs(env: NodeJS.ProcessEnv): number {
  const value = env.SHUTDOWN_TIMEOUT_MS;
  if (value === undefined || value === '') return DEFAULT_SHUTDOWN_TIMEOUT_MS;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`SHUTDOWN_TIMEOUT_MS: expected milliseconds (a whole number), got ${value}`);
  return n;
}
