import { GatewayError, invalidRequest } from '../errors.js';
import { fingerprint, maskSecret } from '../keys/credential.js';
import { isValidKey, KEY_FORMAT_HINT } from '../keys/key-format.js';
import type { KeyPool, KeyView } from '../keys/pool.js';
import { configuredKeys, createCredentials, keysFilePath, setKeyRemoved } from '../keys/sources.js';
import type { Services } from '../services.js';

function unknownKey(fp: string): GatewayError {
  return new GatewayError('not_found', `No key with fingerprint ${fp}`, { param: 'fingerprint' });
}

/** The pool, or 404: without a pool there is no key with any fingerprint. */
export function poolOr404(services: Services, fp: string): KeyPool {
  const pool = services.keys.pool;
  if (!pool) throw unknownKey(fp);
  return pool;
}

export function viewOf(pool: KeyPool, fp: string): KeyView {
  const view = pool.view(fp);
  if (!view) throw unknownKey(fp);
  return view;
}

export function validKey(value: string): string {
  const key = value.trim();
  if (key === '') throw invalidRequest('key: must not be empty', 'key');
  if (!isValidKey(key)) {
    throw invalidRequest(`key: ${KEY_FORMAT_HINT}`, 'key');
  }
  return key;
}

/**
 * Switches a gateway that started without keys (client authorization or refresh token) to
 * a key pool, as a restart would: listed keys come first in droid2api's priority. Not
 * possible when the credential source was injected (embedding, tests): that answers 409.
 */
async function enablePool(services: Services): Promise<KeyPool> {
  if (services.credentials !== services.keys.source) {
    throw new GatewayError('invalid_request', 'This gateway was started with a fixed credential source; the key was stored and will be used after a restart', { status: 409, detail: 'restart_required' });
  }
  const { settings, store, clock, random, log } = services;
  const onQuotaAnswer = (fp: string) => services.allowance?.soon(fp);
  const next = await createCredentials({ env: settings.env, cwd: settings.cwd, dataDir: settings.dataDir, config: settings.config, store, clock, random, log, onQuotaAnswer });
  if (!next.pool) throw new GatewayError('internal', 'The added key did not produce a key pool');
  const previous = services.keys;
  services.keys = next;
  services.credentials = next.source;
  await previous.refresh?.close();
  log.info({ keys: next.pool.size }, 'key pool switched on by the admin API');
  return next.pool;
}

/** Adds a key (persisted in the store, un-removing it if it was removed) and puts it in service. */
export async function addKey(services: Services, secret: string): Promise<{ created: boolean; fingerprint: string; masked: string }> {
  const fp = fingerprint(secret);
  const existed = services.keys.pool?.secretOf(fp) !== undefined;
  await setKeyRemoved(services.store, fp, false);
  await services.store.addKey(secret);
  // Into the running pool directly: a reload would re-read every source for one key.
  let pool = services.keys.pool;
  if (pool) pool.addKey(secret);
  else pool = await enablePool(services);
  if (pool.secretOf(fp) === undefined) throw new GatewayError('internal', 'The added key did not join the pool');
  return { created: !existed, fingerprint: fp, masked: maskSecret(secret) };
}

/**
 * Removes a key for good: an admin-added key leaves the store, a key from FACTORY_API_KEY or
 * the keys file is remembered as removed (those sources are not ours to edit).
 */
export async function removeKey(services: Services, fp: string): Promise<void> {
  const pool = poolOr404(services, fp);
  const secret = pool.secretOf(fp);
  if (secret === undefined) throw unknownKey(fp);
  // reload() keeps the current keys when the list comes back empty (a keys file saved half-way).
  if (pool.size === 1) {
    throw new GatewayError('invalid_request', 'This is the last key in the pool; add another key before removing it', { status: 409, detail: 'last_key' });
  }
  if ((await services.store.loadAddedKeys()).includes(secret)) await services.store.removeAddedKey(secret);
  const file = services.keys.keysFile ?? keysFilePath(services.settings.env, services.settings.cwd);
  const { fromEnv, fromFile } = configuredKeys(services.settings.env, file);
  if (fromEnv.includes(secret) || fromFile.includes(secret)) await setKeyRemoved(services.store, fp, true);
  pool.removeKey(fp);
  services.log.info({ key: fp }, 'key removed by the admin API');
}
