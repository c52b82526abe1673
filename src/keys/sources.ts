import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { ConfigFile } from '../config/schema.js';
import type { Clock, Random } from '../runtime/clock.js';
import { dataFilePath } from '../state/data-dir.js';
import type { StateStore } from '../state/store.js';
import { ClientAuthorizationSource } from './client-source.js';
import { fingerprint, type CredentialSource } from './credential.js';
import { KeyPool } from './pool.js';
import { RefreshTokenSource } from './refresh/refresh-source.js';
import { importRetiredKeys, RETIRED_KEYS_FILE, RetiredKeysFile } from './retired-keys-file.js';

/** FACTORY_API_KEY: one key or several separated by `;`, spaces trimmed, empties ignored. */
export function parseKeyList(value: string | undefined): string[] {
  return (value ?? '').split(';').map((k) => k.trim()).filter(Boolean);
}

/** factory_keys.txt: one key a line; blank lines and `#` comments ignored; CRLF is fine. */
export function parseKeysFile(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '' && !l.startsWith('#'));
}

export interface SourceContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  dataDir: string;
  config: ConfigFile;
  store: StateStore;
  clock: Clock;
  random: Random;
  log: FastifyBaseLogger;
  /** A key answered 402 (the allowance poller checks it again). */
  onQuotaAnswer?: (fingerprint: string) => void;
}

export interface Credentials {
  source: CredentialSource;
  /** Set when the keys come from a list (env, file, admin API). */
  pool?: KeyPool;
  refresh?: RefreshTokenSource;
  /** The keys file watched for hot reload, if any. */
  keysFile?: string;
  /** Re-reads the key sources into the pool (keys file edited, SIGHUP, admin change). */
  reload(): Promise<void>;
}

export function keysFilePath(env: NodeJS.ProcessEnv, cwd: string): string {
  return resolve(cwd, env.FACTORY_KEYS_FILE || 'factory_keys.txt');
}

/** The store value listing fingerprints of env / keys-file keys removed through the admin API. */
const REMOVED_KEYS = 'removed_keys';

/** Fingerprints removed through the admin API; a corrupt value counts as none removed. */
export async function loadRemovedKeys(store: StateStore): Promise<Set<string>> {
  const raw = await store.getValue(REMOVED_KEYS);
  if (!raw) return new Set();
  try {
    const parsed: unknown = JSON.parse(raw);
    return new Set(Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

/**
 * Remembers (or forgets) that a key listed in FACTORY_API_KEY / the keys file was removed:
 * those sources are read-only to the gateway, so the removal must outlive restarts in the store.
 */
export async function setKeyRemoved(store: StateStore, fp: string, removed: boolean): Promise<void> {
  const set = await loadRemovedKeys(store);
  if (set.has(fp) === removed) return;
  if (removed) set.add(fp);
  else set.delete(fp);
  await store.setValue(REMOVED_KEYS, JSON.stringify([...set].sort()));
}

/** Keys from FACTORY_API_KEY and the keys file, before removals; the admin API asks where a key came from. */
export function configuredKeys(env: NodeJS.ProcessEnv, file: string): { fromEnv: string[]; fromFile: string[] } {
  const fromEnv = parseKeyList(env.FACTORY_API_KEY);
  const fromFile = existsSync(file) ? parseKeysFile(readFileSync(file, 'utf8')) : [];
  return { fromEnv, fromFile };
}

/**
 * Every listed key: FACTORY_API_KEY, the keys file and admin-added keys, merged and
 * de-duplicated, minus the keys removed through the admin API.
 */
async function listedKeys(ctx: SourceContext, file: string): Promise<{ keys: string[]; origins: string[] }> {
  const origins: string[] = [];
  const { fromEnv, fromFile } = configuredKeys(ctx.env, file);
  if (fromEnv.length > 0) origins.push('FACTORY_API_KEY');
  if (fromFile.length > 0) origins.push(file.endsWith('factory_keys.txt') ? 'factory_keys.txt' : 'FACTORY_KEYS_FILE');
  const added = await ctx.store.loadAddedKeys();
  if (added.length > 0) origins.push('admin API');
  const removed = await loadRemovedKeys(ctx.store);
  const keys = [...new Set([...fromEnv, ...fromFile, ...added])].filter((k) => !removed.has(fingerprint(k)));
  return { keys, origins };
}

/**
 * Picks where credentials come from, in droid2api's priority: listed keys (FACTORY_API_KEY,
 * factory_keys.txt) > DROID_REFRESH_KEY > ~/.factory/auth.json > the client's own Authorization.
 */
export async function createCredentials(ctx: SourceContext): Promise<Credentials> {
  const file = keysFilePath(ctx.env, ctx.cwd);
  const { keys, origins } = await listedKeys(ctx, file);
  if (keys.length > 0) {
    const retiredFile = new RetiredKeysFile(dataFilePath(ctx.dataDir, RETIRED_KEYS_FILE), ctx.log);
    const imported = await importRetiredKeys(retiredFile.read(), keys, ctx.store, ctx.clock.now());
    if (imported > 0) ctx.log.info({ keys: imported }, `keys listed in ${RETIRED_KEYS_FILE} kept retired`);
    const pool = await KeyPool.create(keys, {
      origin: origins.join(' + '),
      strategy: ctx.config['round-robin'],
      removeOn402: ctx.config.remove_on_402,
      store: ctx.store,
      clock: ctx.clock,
      random: ctx.random,
      log: ctx.log,
      onRetire: (secret, record) => retiredFile.add(secret, record),
      onReinstate: (secret) => retiredFile.remove(secret),
      onQuotaAnswer: ctx.onQuotaAnswer,
      affinity: { enabled: ctx.config.session_affinity, ttlMs: 3_600_000, maxEntries: 10_000 },
    });
    const reload = async () => {
      const next = await listedKeys(ctx, file);
      if (next.keys.length === 0) {
        ctx.log.warn({}, 'key reload found no keys: keeping the current ones');
        return;
      }
      const { added, removed } = pool.setKeys(next.keys);
      ctx.log.info({ keys: pool.size, added, removed }, 'key list reloaded');
    };
    return { source: pool, pool, keysFile: file, reload };
  }
  const refresh = RefreshTokenSource.fromEnvironment(ctx.env, { dataDir: ctx.dataDir, homeDir: ctx.env.HOME || homedir(), clock: ctx.clock, log: ctx.log });
  if (refresh) return { source: refresh, refresh, keysFile: file, reload: async () => undefined };
  return { source: new ClientAuthorizationSource(), keysFile: file, reload: async () => undefined };
}

/** Whether the credential will come from a refresh token (no listed keys, but a refresh token present). */
export function usesRefreshToken(env: NodeJS.ProcessEnv, cwd: string): boolean {
  const file = keysFilePath(env, cwd);
  const listed = parseKeyList(env.FACTORY_API_KEY).length > 0 || (existsSync(file) && parseKeysFile(readFileSync(file, 'utf8')).length > 0);
  return !listed && (Boolean(env.DROID_REFRESH_KEY?.trim()) || existsSync(join(env.HOME || homedir(), '.factory', 'auth.json')));
}
