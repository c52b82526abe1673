import type { FastifyBaseLogger } from 'fastify';
import type { Settings } from './config/load.js';
import { assessExposure, type ExposureVerdict } from './config/exposure.js';
import { humanSummary, startupFacts, type StartupFacts } from './config/startup-summary.js';
import { configuredKeys, keysFilePath, usesRefreshToken } from './keys/sources.js';
import { effectiveStatus } from './routes/status-data.js';
import type { Services } from './services.js';

/**
 * The exposure verdict for these settings, from the environment, and `clientKeys` when the
 * caller has read the store (only needed when the environment alone gives a verdict to
 * soften: client keys protect the API as GATEWAY_API_KEY does). Admin-added pool keys need
 * the store too; a start that has only those is judged by its keys at the next start.
 */
export function exposureOf(settings: Settings, clientKeys = false): ExposureVerdict {
  const { env, cwd } = settings;
  const { fromEnv, fromFile } = configuredKeys(env, keysFilePath(env, cwd));
  return assessExposure({
    host: settings.host,
    serverCredentials: fromEnv.length + fromFile.length > 0 || usesRefreshToken(env, cwd),
    gatewayKey: Boolean(env.GATEWAY_API_KEY?.trim()),
    clientKeys,
    adminKey: settings.adminKey !== undefined,
    requireGatewayKey: env.REQUIRE_GATEWAY_KEY === 'true',
  });
}

export function servicesFacts(services: Services, port: number, workers: number): StartupFacts {
  const { settings, keys } = services;
  const now = services.clock.now();
  const credentialMode = keys.pool ? 'keys' : keys.refresh ? 'refresh-token' : 'client-authorization';
  return startupFacts({
    host: settings.host,
    port,
    credentialMode,
    keyStatuses: (keys.pool?.snapshot() ?? []).map((k) => effectiveStatus(k, now)),
    store: settings.store,
    workers,
    gatewayKey: Boolean(settings.env.GATEWAY_API_KEY?.trim()),
    clientKeys: services.clients.registry.size > 0,
    adminKey: settings.adminKey !== undefined,
  });
}

/** One info line with the facts, one warning line per risky choice, and a human block on a terminal. */
export function reportStartup(facts: StartupFacts, warnings: readonly string[], log: FastifyBaseLogger, terminal?: (text: string) => void): void {
  log.info({ ...facts, warnings: warnings.length }, 'droid2api started');
  for (const warning of warnings) log.warn(warning);
  terminal?.(humanSummary(facts, warnings));
}
