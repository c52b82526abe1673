import type { Clock, Random } from '../runtime/clock.js';
import type { KeyRecord, StateStore } from '../state/store.js';
import type { HealthPolicy } from './health.js';

/** A key as the status page and the admin API show it: masked, never the secret. */
export interface KeyView extends KeyRecord {
  masked: string;
  /** Smoothed success rate used by weighted selection. */
  score: number;
}

export interface PoolLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface KeyPoolOptions {
  /** Where the keys come from, for the start-up line (e.g. "FACTORY_API_KEY + factory_keys.txt"). */
  origin: string;
  strategy: 'weighted' | 'simple' | 'expiring-first';
  removeOn402: boolean;
  store: StateStore;
  clock: Clock;
  random: Random;
  log: PoolLogger;
  policy?: HealthPolicy;
  /** Session affinity: on by default, one hour, 10,000 conversations. */
  affinity?: { enabled: boolean; ttlMs: number; maxEntries: number };
  /** Called once when a key is retired (the deprecated_keys.txt writer). */
  onRetire?: (secret: string, record: KeyRecord) => void;
  /** Called when an admin puts a key back into service (it leaves deprecated_keys.txt). */
  onReinstate?: (secret: string) => void;
  /** Called when a key answers 402 (its allowance is then worth checking again). */
  onQuotaAnswer?: (fingerprint: string) => void;
}
