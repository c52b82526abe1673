import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RETENTION_MS, retentionFor, type HistoryStore } from './history-store.js';
import { MemoryHistory } from './memory-history.js';
import { HISTORY_FILE_NAME, SqliteHistory } from './sqlite-history.js';

export interface OpenHistoryOptions {
  kind: 'memory' | 'sqlite' | 'redis';
  dataDir: string;
  redis: { url: string; prefix: string };
  /** How long hour rows (and so the client usage report) are kept: USAGE_RETENTION_DAYS. */
  usageRetentionDays?: number;
}

/** The history store that goes with the state store: memory, a SQLite file in DATA_DIR, or Redis. */
export async function openHistory(options: OpenHistoryOptions): Promise<HistoryStore> {
  const retention = options.usageRetentionDays === undefined ? RETENTION_MS : retentionFor(options.usageRetentionDays);
  switch (options.kind) {
    case 'memory':
      return new MemoryHistory(retention);
    case 'sqlite':
      mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
      return SqliteHistory.open(join(options.dataDir, HISTORY_FILE_NAME), retention);
    case 'redis': {
      // Loaded only with Redis, as the state store does.
      const [{ Redis }, { RedisHistory }] = await Promise.all([import('ioredis'), import('./redis-history.js')]);
      const redis = new Redis(options.redis.url, { lazyConnect: false, maxRetriesPerRequest: 2, commandTimeout: 5_000 });
      // Errors surface on the commands (the recorder retries); the event must have a listener.
      redis.on('error', () => undefined);
      const history = new RedisHistory(redis, options.redis.prefix, retention);
      return {
        add: (rows) => history.add(rows),
        read: (q) => history.read(q),
        keepLastErrors: (entries) => history.keepLastErrors(entries),
        lastErrors: (dimension) => history.lastErrors(dimension),
        prune: () => history.prune(),
        close: async () => {
          redis.disconnect();
        },
      };
    }
  }
}
