import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { buildApp, VERSION } from './app.js';
import { runPrimary } from './cluster/primary.js';
import { usesRefreshToken } from './keys/sources.js';
import { accessSettings } from './config/access.js';
import { ensureWritableDataDir } from './config/data-dir.js';
import { ConfigError, loadSettings } from './config/load.js';
import { bufferedStdout, createLogger } from './logger.js';
import { DataDirError } from './state/data-dir.js';
import { closeServices, createServices, watchFilterFile, watchKeysFile } from './services-factory.js';
import { exitOnStartupError } from './startup-error.js';
import { shutdownTimeoutMs } from './config/shutdown-timeout.js';
import { shutDown } from './runtime/shutdown.js';
import { FilterFileError } from './filter/keyword-rules.js';
import { checkLatestCliVersion } from './upstream/cli-version-check.js';
import { exposureOf, reportStartup, servicesFacts } from './startup-report.js';
import { storedClientKeys } from './clients/stored-client-keys.js';
import type { ExposureVerdict } from './config/exposure.js';

/** WORKERS: a number of processes, or `auto` for one per core; default 1. */
function workerCount(value: string | undefined): number {
  if (!value) return 1;
  if (value === 'auto') return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`WORKERS: expected a whole number or auto, got ${value}`);
  return n;
}

/** A keys file that cannot be used (a directory, unreadable, UTF-16 without BOM): one line, not a stack. */
function oneLineExit(err: ConfigError): never {
  process.stderr.write(`droid2api: ${err.message}\n`);
  process.exit(1);
}

function startupCheck<T>(run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof ConfigError) oneLineExit(err);
    throw err;
  }
}

/** CLI entry: read config and environment, start the server, stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  // A terminal gets pino-pretty; anything else (a pipe, a file, a container's log) JSON lines in batches.
  const pretty = Boolean(process.stdout.isTTY);
  const out = pretty ? undefined : bufferedStdout();
  const boot = createLogger(process.env.LOG_LEVEL || 'info', pretty, out);
  let settings;
  let workers;
  let shutdownMs;
  try {
    settings = loadSettings(process.env, process.cwd(), (msg) => boot.warn(msg));
    workers = workerCount(settings.env.WORKERS);
    accessSettings(settings.env); // a mistyped access setting stops the start with its one-line reason
    shutdownMs = shutdownTimeoutMs(settings.env);
    ensureWritableDataDir(settings.dataDir);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`droid2api: invalid configuration: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = settings.logLevel === boot.level ? boot : createLogger(settings.logLevel, pretty, out);
  const fromEnv = startupCheck(() => exposureOf(settings));
  // Client keys live in the store: read only when they could soften the environment's verdict.
  const clientKeysMatter = fromEnv.refusal !== undefined || fromEnv.warnings.length > 0;
  const refuseIf = (verdict: ExposureVerdict) => {
    if (!verdict.refusal) return;
    process.stderr.write(`droid2api: ${verdict.refusal}\n`);
    process.exit(1);
  };
  if (cluster.isPrimary && workers > 1) {
    if (usesRefreshToken(settings.env, settings.cwd)) {
      // One rotating refresh token cannot be refreshed by several processes at once.
      log.warn({ workers }, 'WORKERS is ignored in refresh-token mode: running one process');
    } else {
      refuseIf(clientKeysMatter ? exposureOf(settings, await storedClientKeys(settings, log).catch(exitOnStartupError)) : fromEnv);
      await runPrimary(settings, log, workers).catch(exitOnStartupError);
      return;
    }
  }
  const services = await createServices(settings, log).catch((err: unknown) => {
    if (err instanceof ConfigError) return oneLineExit(err);
    if (!(err instanceof FilterFileError)) return exitOnStartupError(err);
    process.stderr.write(`droid2api: invalid keyword filter: ${err.message}\n`);
    process.exit(1);
  });
  const exposure = clientKeysMatter ? exposureOf(settings, services.clients.registry.size > 0) : fromEnv;
  if (exposure.refusal) await closeServices(services).catch(() => undefined);
  refuseIf(exposure);
  services.warnings.push(...exposure.warnings);
  const app = await buildApp(services);
  const unwatchKeys = watchKeysFile(services);
  const unwatchFilter = watchFilterFile(services);
  const unwatch = () => {
    unwatchKeys();
    unwatchFilter();
  };
  // Opt-in and never awaited: a start without network access is not delayed or failed by it.
  if (settings.env.CLI_VERSION_CHECK === 'true') void checkLatestCliVersion(settings.config.cli_version_url, services.identity, log);

  log.info(services.credentials.describe());
  try {
    await app.listen({ port: settings.port, host: settings.host });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`droid2api: port ${settings.port} is already in use; set PORT or "port" in config.json\n`);
      process.exit(1);
    }
    throw err;
  }
  services.allowance?.start();
  log.info({ version: VERSION, models: settings.config.models.length, config: settings.configPath ?? 'shipped defaults' }, 'droid2api ready');
  // In a WORKERS tree the first worker speaks for all (the primary has no pool to count).
  if (!cluster.isWorker || cluster.worker?.id === 1) {
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    const terminal = process.stdout.isTTY ? (text: string) => process.stdout.write(text) : undefined;
    reportStartup(servicesFacts(services, port, cluster.isWorker ? workers : 1), services.warnings, log, terminal);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    unwatch();
    await shutDown({ app, flush: () => services.store.flush(), closeServices: () => closeServices(services), clock: services.clock, log }, shutdownMs);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // SIGHUP re-reads the key sources (factory_keys.txt, admin-added keys) without a restart.
  process.on('SIGHUP', () => {
    services.keys.reload().catch((err: unknown) => log.error({ err }, 'key reload failed'));
  });
}

await main().catch((err: unknown) => {
  // A DATA_DIR the gateway refuses (a state file linked outside it) is the operator's one line to fix.
  if (!(err instanceof DataDirError)) throw err;
  process.stderr.write(`droid2api: ${err.message}\n`);
  process.exit(1);
});
