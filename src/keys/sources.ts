import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { ConfigFile } from '../config/schema.js';
import type { Clock, Random } from '../runtime/clock.js';
import { dataFilePath } from '../state/data-dir.js';
import type { StateStore } from '../state/store.js';
import { yieldToEventLoop } from '../runtime/yield.js';
import { ClientAuthorizationSource } from './client-source.js';
import type { CredentialSource } from './credential.js';
import { fingerprintsOf } from './fingerprints.js';
import { KEY_FORMAT_HINT, splitValidKeys } from './key-format.js';
import { KeysFileError, parseKeysText, parseKeysTextSliced, readKeysFile, readKeysFileText } from './keys-file.js';
import { RELOAD_SLICE } from './pool-tuning.js';
import { KeyPool } from './pool.js';
import { RefreshTokenSource } from './refresh/refresh-source.js';
import { importRetiredKeys, RETIRED_KEYS_FILE, RetiredKeysFile } from './retired-keys-file.js';

/** FACTORY_API_KEY entries: one key or several separated by `;`, spaces trimmed, empties ignored. */
function keyListEntries(value: string | undefined): { key: string; position: number }[] {
  return (value ?? '').split(';').map((k, i) => ({ key: k.trim(), position: i + 1 })).filter((e) => e.key !== '');
}

/** FACTORY_API_KEY: its valid keys (an invalid entry is left out; `listedKeys` warns about it). */
export function parseKeyList(value: string | undefined): string[] {
  return splitValidKeys(keyListEntries(value)).keys;
}

/** factory_keys.txt's valid keys: one key a line; blank lines and `#` comments ignored; CRLF is fine. */
export function parseKeysFile(text: string): string[] {
  return parseKeysText(text).keys;
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
  return { fromEnv: parseKeyList(env.FACTORY_API_KEY), fromFile: readKeysFile(file).keys };
}

/** At most this many line numbers in the warning about invalid keys (the count says the rest). */
const LISTED_INVALID_LINES = 20;

/** One warning per source with invalid entries: where they are, never what they hold. */
function warnInvalid(ctx: SourceContext, source: string, positions: readonly number[]): void {
  if (positions.length === 0) return;
  ctx.log.warn({ source, lines: positions.slice(0, LISTED_INVALID_LINES), count: positions.length, expected: KEY_FORMAT_HINT }, 'invalid keys skipped');
}

/**
 * Every listed key: FACTORY_API_KEY, the keys file and admin-added keys, merged and
 * de-duplicated, minus the keys removed through the admin API.
 */
async function listedKeys(ctx: SourceContext, file: string, pool?: KeyPool): Promise<{ keys: string[]; origins: string[]; fingerprints: Map<string, string> }> {
  const origins: string[] = [];
  const env = splitValidKeys(keyListEntries(ctx.env.FACTORY_API_KEY));
  const read = await parseKeysTextSliced(readKeysFileText(file), RELOAD_SLICE, yieldToEventLoop);
  warnInvalid(ctx, 'FACTORY_API_KEY', env.invalid);
  warnInvalid(ctx, file, read.invalidLines);
  const fromEnv = env.keys;
  const fromFile = read.keys;
  if (fromEnv.length > 0) origins.push('FACTORY_API_KEY');
  if (fromFile.length > 0) origins.push(file.endsWith('factory_keys.txt') ? 'factory_keys.txt' : 'FACTORY_KEYS_FILE');
  const added = await ctx.store.loadAddedKeys();
  if (added.length > 0) origins.push('admin API');
  const removed = await loadRemovedKeys(ctx.store);
  const all = new Set<string>();
  let seen = 0;
  for (const list of [fromEnv, fromFile, added]) {
    for (const key of list) {
      all.add(key);
      if (++seen % RELOAD_SLICE === 0) await yieldToEventLoop();
    }
  }
  const fingerprints = await fingerprintsOf(all, (k) => pool?.fingerprintOf(k) !== undefined, yieldToEventLoop);
  const fingerprintOf = (k: string) => fingerprints.get(k) ?? pool?.fingerprintOf(k);
  const keys = removed.size === 0 ? [...all] : [...all].filter((k) => !removed.has(fingerprintOf(k)!));
  return { keys, origins, fingerprints };
}

/**
 * Picks where credentials come from, in droid2api's priority: listed keys (FACTORY_API_KEY,
 * factory_keys.txt) > DROID_REFRESH_KEY > ~/.factory/auth.json > the client's own Authorization.
 */
export async function createCredentials(ctx: SourceContext): Promise<Credentials> {
  const file = keysFilePath(ctx.env, ctx.cwd);
  const { keys, origins, fingerprints } = await listedKeys(ctx, file);
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
    }, fingerprints);
    const reload = async () => {
      let next;
      try {
        next = await listedKeys(ctx, file, pool);
      } catch (err) {
        if (!(err instanceof KeysFileError)) throw err;
        // A file being replaced, or made unreadable by mistake: serving on with the keys we
        // have beats stopping; the line says what to fix.
        ctx.log.warn({ problem: err.message }, 'key reload failed: keeping the current keys');
        return;
      }
      if (next.keys.length === 0) {
        ctx.log.warn({}, 'key reload found no keys: keeping the current ones');
        return;
      }
      const { added, removed } = await pool.setKeysSliced(next.keys, next.fingerprints, yieldToEventLoop);
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
  const listed = parseKeyList(env.FACTORY_API_KEY).length > 0 || fileHasKeys(file);
  return !listed && (Boolean(env.DROID_REFRESH_KEY?.trim()) || existsSync(join(env.HOME || homedir(), '.factory', 'auth.json')));
}

/** An unusable keys file counts as holding keys here: starting the pool then reports it in one line. */
function fileHasKeys(file: string): boolean {
  try {
    return readKeysFile(file).keys.length > 0;
  } catch {
    return true;
  }
}
