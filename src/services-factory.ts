import type { FastifyBaseLogger } from 'fastify';
import type { Settings } from './config/load.js';
import { DIALECTS } from './dialects/registry.js';
import { ClientAuthorizationSource } from './keys/client-source.js';
import type { CredentialSource } from './keys/credential.js';
import { parseKeyList, StaticKeySource } from './keys/static-source.js';
import { systemClock, systemIds, type Clock, type Ids } from './runtime/clock.js';
import type { Services } from './services.js';
import { UpstreamClient } from './upstream/client.js';

/** Picks the credential source from the environment: FACTORY_API_KEY, else the client's own. */
export function credentialSourceFrom(env: NodeJS.ProcessEnv): CredentialSource {
  const keys = parseKeyList(env.FACTORY_API_KEY);
  if (keys.length > 0) return new StaticKeySource(keys, 'FACTORY_API_KEY');
  return new ClientAuthorizationSource();
}

/** The production set of services for given settings; tests override pieces. */
export function createServices(
  settings: Settings,
  log: FastifyBaseLogger,
  overrides: Partial<{ clock: Clock; ids: Ids; credentials: CredentialSource }> = {},
): Services {
  return {
    settings,
    dialects: DIALECTS,
    upstream: new UpstreamClient({
      proxies: settings.config.proxies,
      headersTimeoutMs: settings.config.upstream_timeout_ms,
    }),
    credentials: overrides.credentials ?? credentialSourceFrom(settings.env),
    clock: overrides.clock ?? systemClock,
    ids: overrides.ids ?? systemIds,
    log,
  };
}
