import { ConfigError } from './config-error.js';

/** Who may reach what, read from the environment (README "Security"). */
export interface AccessSettings {
  /** GATEWAY_API_KEY: the keys API clients present (several separated by `;`). */
  gatewayKeys: string[];
  /** CORS_ORIGINS: `*`, a list of origins, or undefined for the default of the credential mode. */
  corsOrigins: '*' | string[] | undefined;
  /** STATUS_PUBLIC=true: /status and /status.json open to anyone. */
  statusPublic: boolean;
  /** METRICS_PUBLIC=true: /metrics open to anyone (a Prometheus scrape inside a private network). */
  metricsPublic: boolean;
  /** TRUST_PROXY: Fastify's trustProxy (addresses/CIDRs, or a hop count); off by default. */
  trustProxy: string | number | undefined;
  /** BODY_LIMIT_MB: the largest body an authenticated API route reads, in bytes. */
  apiBodyLimit: number;
  /** AUTH_FAILURES_PER_MINUTE: wrong keys one client address may present in a minute. */
  authFailuresPerMinute: number;
}

/** 50 MB, as droid2api: agents send whole files and images. */
const DEFAULT_BODY_LIMIT_MB = 50;
const DEFAULT_AUTH_FAILURES = 10;

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const v = env[name]?.trim().toLowerCase();
  if (v === undefined || v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  throw new ConfigError(`${name}: expected true or false, got ${env[name]}`);
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new ConfigError(`${name}: expected a positive number, got ${raw}`);
  return n;
}

function corsOrigins(raw: string | undefined): AccessSettings['corsOrigins'] {
  const v = raw?.trim();
  if (v === undefined || v === '') return undefined;
  if (v === '*') return '*';
  return v.split(',').map((o) => o.trim().replace(/\/+$/, '')).filter(Boolean);
}

/** A hop count, or a list of proxy addresses and CIDRs as Fastify's trustProxy takes it. */
function trustProxy(raw: string | undefined): AccessSettings['trustProxy'] {
  const v = raw?.trim();
  if (v === undefined || v === '' || v === 'false') return undefined;
  if (v === 'true') throw new ConfigError('TRUST_PROXY: name the proxy (address, CIDR or hop count), not true: any client could then claim any address');
  return /^\d+$/.test(v) ? Number(v) : v;
}

export function accessSettings(env: NodeJS.ProcessEnv): AccessSettings {
  return {
    gatewayKeys: (env.GATEWAY_API_KEY ?? '').split(';').map((k) => k.trim()).filter(Boolean),
    corsOrigins: corsOrigins(env.CORS_ORIGINS),
    statusPublic: flag(env, 'STATUS_PUBLIC'),
    metricsPublic: flag(env, 'METRICS_PUBLIC'),
    trustProxy: trustProxy(env.TRUST_PROXY),
    apiBodyLimit: Math.round(positive(env, 'BODY_LIMIT_MB', DEFAULT_BODY_LIMIT_MB) * 1024 * 1024),
    authFailuresPerMinute: Math.round(positive(env, 'AUTH_FAILURES_PER_MINUTE', DEFAULT_AUTH_FAILURES)),
  };
}
