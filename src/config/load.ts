import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from './config-error.js';
import { clientLimitsFromEnv, type ClientLimits } from './client-limits.js';
import { configSchema, type ConfigFile } from './schema.js';
import { applySecretFiles } from './secret-files.js';
import { usesV2Code } from './v2-layout.js';

/** Everything the gateway is configured with: config.json plus the environment. */
export interface Settings {
  config: ConfigFile;
  /** The file read, or undefined when the shipped defaults were used. */
  configPath: string | undefined;
  host: string;
  port: number;
  logLevel: string;
  /** Where state lives (SQLite file, refreshed tokens, deprecated_keys.txt): DATA_DIR, default ./data. */
  dataDir: string;
  /** STATE_STORE: sqlite (default, survives restarts), memory, or redis (shared by replicas). */
  store: 'sqlite' | 'memory' | 'redis';
  /** REDIS_URL and REDIS_PREFIX, for STATE_STORE=redis. */
  redis: { url: string; prefix: string };
  /** ADMIN_KEY: enables /admin/api when set. */
  adminKey: string | undefined;
  /** USAGE_RETENTION_DAYS: days the hourly history (client usage included) is kept; default 90. */
  usageRetentionDays: number;
  /** Slow-client limits and the per-address connection cap (client-limits.ts). */
  clientLimits: ClientLimits;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export { ConfigError };

/** config.json shipped with the package (two levels above dist/src/config or src/config). */
export function shippedConfigPath(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const candidate = resolve(dir, 'config.json');
    if (existsSync(candidate) && existsSync(resolve(dir, 'package.json'))) return candidate;
    dir = dirname(dir);
  }
  throw new ConfigError('the shipped config.json was not found next to package.json');
}

/** Validates a parsed config object; the error is one line naming the field and the reason. */
export function parseConfig(raw: unknown, source: string): ConfigFile {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path.map(String).join('.') || '(root)';
  throw new ConfigError(`${source}: ${path}: ${issue?.message ?? 'invalid'}`);
}

/** Replaces scheme, host and port of every endpoint (FACTORY_BASE_URL, for tests and the demo). */
export function rebaseEndpoints(config: ConfigFile, baseUrl: string): ConfigFile {
  let base: URL;
  try {
    base = new URL(baseUrl);
  } catch {
    throw new ConfigError(`FACTORY_BASE_URL: not a URL: ${baseUrl}`);
  }
  const rebase = (address: string) => {
    const url = new URL(address);
    url.protocol = base.protocol;
    url.host = base.host;
    return url.toString();
  };
  const endpoint = config.endpoint.map((e) => ({ ...e, base_url: rebase(e.base_url) }));
  const { chat_usage, billing_limits } = config.usage_endpoints;
  return { ...config, endpoint, usage_endpoints: { chat_usage: rebase(chat_usage), billing_limits: rebase(billing_limits) } };
}

function readJson(path: string): unknown {
  const text = readFileSync(path, 'utf8');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path}: not valid JSON (${(err as Error).message})`);
  }
}

/**
 * Reads config.json (DROID2API_CONFIG, else ./config.json, else the shipped defaults with a
 * warning) and applies the environment (PORT, HOST, FACTORY_BASE_URL, LOG_LEVEL, DATA_DIR,
 * STATE_STORE, ADMIN_KEY). Secrets may come from files (`<NAME>_FILE`, secret-files.ts).
 */
export function loadSettings(processEnv: NodeJS.ProcessEnv, cwd: string, warn: (msg: string) => void): Settings {
  const env = applySecretFiles(processEnv, cwd);
  const wanted = env.DROID2API_CONFIG ? resolve(cwd, env.DROID2API_CONFIG) : resolve(cwd, 'config.json');
  let configPath: string | undefined = wanted;
  if (!env.DROID2API_CONFIG && usesV2Code(cwd)) {
    // A droid2api v2 volume over the working directory: its config.json is v2's, not ours.
    warn(`${wanted} belongs to droid2api v2 (its code is in ${cwd}): using the shipped defaults`);
    configPath = undefined;
  } else if (!existsSync(wanted)) {
    warn(`config file ${wanted} not found: using the shipped defaults`);
    configPath = undefined;
  }
  const path = configPath ?? shippedConfigPath();
  let config = parseConfig(readJson(path), path);
  if (env.FACTORY_BASE_URL) config = rebaseEndpoints(config, env.FACTORY_BASE_URL);

  let port = config.port;
  if (env.PORT !== undefined && env.PORT !== '') {
    port = Number(env.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`PORT: not a port number: ${env.PORT}`);
  }
  const store = env.STATE_STORE || 'sqlite';
  if (env.REDIS_URL && !env.STATE_STORE) warn('REDIS_URL is set but STATE_STORE is not: key state stays in this replica\'s SQLite file; set STATE_STORE=redis to share it through Redis');
  if (store !== 'sqlite' && store !== 'memory' && store !== 'redis') throw new ConfigError(`STATE_STORE: expected sqlite, memory or redis, got ${store}`);
  return {
    config,
    configPath,
    host: env.HOST || '0.0.0.0',
    port,
    logLevel: env.LOG_LEVEL || (config.dev_mode ? 'debug' : 'info'),
    dataDir: resolve(cwd, env.DATA_DIR || 'data'),
    store,
    redis: { url: env.REDIS_URL || 'redis://127.0.0.1:6379', prefix: env.REDIS_PREFIX ?? 'droid2api:' },
    adminKey: env.ADMIN_KEY || undefined,
    usageRetentionDays: retentionDays(env.USAGE_RETENTION_DAYS),
    clientLimits: clientLimitsFromEnv(env),
    cwd,
    env,
  };
}

const DEFAULT_USAGE_RETENTION_DAYS = 90;

function retentionDays(raw: string | undefined): number {
  const v = raw?.trim();
  if (v === undefined || v === '') return DEFAULT_USAGE_RETENTION_DAYS;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 3650) throw new ConfigError(`USAGE_RETENTION_DAYS: expected a whole number of days from 1 to 3650, got ${raw}`);
  return n;
}
