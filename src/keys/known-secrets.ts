import { parseKeyList, type Credentials } from './sources.js';

/**
 * Every secret the gateway holds right now: the configured ones (Factory keys, gateway and
 * admin keys, the refresh token) and the current credentials, so keys added through the
 * admin API or a reloaded keys file, and rotated tokens, are masked too. Read when text is
 * masked (on failures only), never cached.
 */
export function knownSecrets(env: NodeJS.ProcessEnv, keys: Credentials): string[] {
  return [
    ...parseKeyList(env.FACTORY_API_KEY),
    ...parseKeyList(env.GATEWAY_API_KEY),
    env.ADMIN_KEY ?? '',
    env.DROID_REFRESH_KEY ?? '',
    ...(keys.pool?.secrets() ?? []),
    ...(keys.refresh?.secrets() ?? []),
  ];
}
