import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { buildApp, VERSION } from './app.js';
import { runPrimary } from './cluster/primary.js';
import { usesRefreshToken } from './keys/sources.js';
import { ConfigError, loadSettings } from './config/load.js';
import { createLogger } from './logger.js';
import { closeServices, createServices, watchKeysFile } from './services-factory.js';

/** WORKERS: a number of processes, or `auto` for one per core; default 1. */
function workerCount(value: string | undefined): number {
  if (!value) return 1;
  if (value === 'auto') return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ConfigError(`WORKERS: expected a whole number or auto, got ${value}`);
  return n;
}

/** CLI entry: read config and environment, start the server, stop cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const boot = createLogger(process.env.LOG_LEVEL || 'info', Boolean(process.stdout.isTTY));
  let settings;
  let workers;
  try {
    settings = loadSettings(process.env, process.cwd(), (msg) => boot.warn(msg));
    workers = workerCount(settings.env.WORKERS);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`droid2api: invalid configuration: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = settings.logLevel === boot.level ? boot : createLogger(settings.logLevel, Boolean(process.stdout.isTTY));
  if (cluster.isPrimary && workers > 1) {
    if (usesRefreshToken(settings.env, settings.cwd)) {
      // One rotating refresh token cannot be refreshed by several processes at once.
      log.warn({ workers }, 'WORKERS is ignored in refresh-token mode: running one process');
    } else {
      await runPrimary(settings, log, workers);
      return;
    }
  }
  const services = await createServices(settings, log).catch((err: unknown) => {
    // A keys file that cannot be used (a directory, unreadable, UTF-16 without BOM): one line, not a stack.
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`droid2api: ${err.message}\n`);
    process.exit(1);
  });
  const app = await buildApp(services);
  const unwatch = watchKeysFile(services);

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
  log.info({ version: VERSION, models: settings.config.models.length, config: settings.configPath ?? 'shipped defaults' }, 'droid2api ready');

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    unwatch();
    await app.close();
    await closeServices(services);
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // SIGHUP re-reads the key sources (factory_keys.txt, admin-added keys) without a restart.
  process.on('SIGHUP', () => {
    services.keys.reload().catch((err: unknown) => log.error({ err }, 'key reload failed'));
  });
}

await main();
