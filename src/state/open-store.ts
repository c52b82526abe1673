import { assertNever } from '../runtime/guards.js';
import { systemClock, type Clock } from '../runtime/clock.js';
import { dataFilePath, prepareDataDir } from './data-dir.js';
import { MemoryStore } from './memory-store.js';
import { SqliteStore, type StoreLog } from './sqlite-store.js';
import type { StateStore } from './store.js';

export type { StoreLog } from './sqlite-store.js';

export const SQLITE_FILE_NAME = 'droid2api.sqlite';

export interface OpenStoreOptions {
  kind: 'memory' | 'sqlite' | 'redis';
  /** Directory of the SQLite file; created with mode 0700 when missing. Unused for memory. */
  dataDir: string;
  log: StoreLog;
  flushIntervalMs?: number;
  /** Stamps updated_at/added_at; tests pass a fake one. */
  clock?: Clock;
  /** For kind redis. */
  redis?: { url: string; prefix: string };
}

/** Builds the configured store. Async because other kinds (Redis) must connect first. */
export async function openStore(options: OpenStoreOptions): Promise<StateStore> {
  switch (options.kind) {
    case 'memory':
      return new MemoryStore();
    case 'sqlite': {
      // The directory holds added secrets: nobody but the gateway's user may list or read it.
      prepareDataDir(options.dataDir, options.log);
      // SQLite follows links for its journal files too.
      for (const suffix of ['-wal', '-shm']) dataFilePath(options.dataDir, SQLITE_FILE_NAME + suffix);
      const store = SqliteStore.open({
        file: dataFilePath(options.dataDir, SQLITE_FILE_NAME),
        log: options.log,
        clock: options.clock ?? systemClock,
        flushIntervalMs: options.flushIntervalMs,
      });
      options.log.debug({ kind: 'sqlite' }, 'state store opened');
      return store;
    }
    case 'redis': {
      // Loaded only here: ioredis costs every other deployment memory for nothing (docs/PERFORMANCE.md).
      const { RedisStore, redactUrl } = await import('./redis-store.js');
      const redis = options.redis ?? { url: 'redis://127.0.0.1:6379', prefix: 'droid2api:' };
      const store = await RedisStore.open({ ...redis, log: options.log, clock: options.clock ?? systemClock, flushIntervalMs: options.flushIntervalMs });
      options.log.debug({ kind: 'redis', url: redactUrl(redis.url) }, 'state store opened');
      return store;
    }
    default:
      return assertNever(options.kind);
  }
}
