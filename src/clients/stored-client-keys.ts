import type { Settings } from '../config/load.js';
import { openStore, type OpenStoreOptions } from '../state/open-store.js';
import { CLIENTS_VALUE } from './registry.js';

/**
 * Whether the state store holds client keys, read by a WORKERS primary before it forks (the
 * store is opened, read and closed): the start-up exposure check needs to know, and the
 * primary has no registry of its own.
 */
export async function storedClientKeys(settings: Settings, log: OpenStoreOptions['log']): Promise<boolean> {
  if (settings.store === 'memory') return false;
  const store = await openStore({ kind: settings.store, dataDir: settings.dataDir, redis: settings.redis, log });
  try {
    const raw = await store.getValue(CLIENTS_VALUE);
    if (raw === undefined || raw === '') return false;
    const parsed = JSON.parse(raw) as unknown;
    return Array.isArray(parsed) && parsed.length > 0;
  } finally {
    await store.close();
  }
}
