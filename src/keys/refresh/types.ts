import type { Dispatcher } from 'undici';
import type { Clock } from '../../runtime/clock.js';

/** The slice of a pino logger this source uses; fields never hold a token or the user's identity. */
export interface RefreshLog {
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
}

export interface RefreshSourceOptions {
  dataDir: string;
  homeDir: string;
  clock: Clock;
  log: RefreshLog;
  dispatcher?: Dispatcher;
}

export interface RefreshStats {
  refreshes: number;
  failures: number;
  /** Epoch ms of the last successful refresh. */
  lastRefreshAt: number | undefined;
  lastError: string | undefined;
}
