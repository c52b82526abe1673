import { SECRET_VARIABLES } from './secret-files.js';

/**
 * Every environment variable the gateway reads, with what it is for: the one list both
 * READMEs are checked against (test/docs/consistency.test.ts), itself checked against the
 * environment reads found in src/. A new variable fails that test until it is listed here and
 * documented in both languages. Operating-system variables (HOME) are not listed.
 */
export const ENVIRONMENT_VARIABLES: ReadonlyArray<{ name: string; meaning: string }> = [
  { name: 'FACTORY_API_KEY', meaning: 'one Factory key, or several separated by ;' },
  { name: 'FACTORY_KEYS_FILE', meaning: 'the keys file, one key a line (default ./factory_keys.txt)' },
  { name: 'DROID_REFRESH_KEY', meaning: 'a WorkOS refresh token: refresh-token mode' },
  { name: 'DROID_REFRESH_URL', meaning: 'where the refresh token is exchanged (WorkOS by default)' },
  { name: 'GATEWAY_API_KEY', meaning: 'keys API clients must present (;-separated)' },
  { name: 'REQUIRE_GATEWAY_KEY', meaning: 'true: refuse to start exposed with server credentials and no gateway key' },
  { name: 'ADMIN_KEY', meaning: 'enables the admin API and guards the status pages' },
  { name: 'CORS_ORIGINS', meaning: 'origins browsers may call the API from' },
  { name: 'STATUS_PUBLIC', meaning: 'true: /status and /status.json open to anyone' },
  { name: 'METRICS_PUBLIC', meaning: 'true: /metrics open to anyone' },
  { name: 'TRUST_PROXY', meaning: 'the reverse proxy whose X-Forwarded-For is believed' },
  { name: 'BODY_LIMIT_MB', meaning: 'largest request body of an authenticated API route' },
  { name: 'AUTH_FAILURES_PER_MINUTE', meaning: 'wrong keys one address may send per minute' },
  { name: 'PORT', meaning: 'listen port' },
  { name: 'HOST', meaning: 'listen address' },
  { name: 'WORKERS', meaning: 'processes sharing the port' },
  { name: 'LOG_LEVEL', meaning: 'pino log level' },
  { name: 'SHUTDOWN_TIMEOUT_MS', meaning: 'longest time from SIGTERM to exit' },
  { name: 'HEADERS_TIMEOUT_MS', meaning: 'time a client has to send its request head' },
  { name: 'REQUEST_TIMEOUT_MS', meaning: 'time a client has to send its whole request' },
  { name: 'KEEP_ALIVE_TIMEOUT_MS', meaning: 'idle keep-alive connection lifetime' },
  { name: 'MAX_CONNECTIONS_PER_IP', meaning: 'open connections one address may hold' },
  { name: 'DROID2API_CONFIG', meaning: 'path of config.json' },
  { name: 'FACTORY_BASE_URL', meaning: 'replaces scheme, host and port of every Factory endpoint' },
  { name: 'DATA_DIR', meaning: 'state directory' },
  { name: 'STATE_STORE', meaning: 'sqlite, memory or redis' },
  { name: 'REDIS_URL', meaning: 'the Redis server for STATE_STORE=redis' },
  { name: 'REDIS_PREFIX', meaning: 'prefix of every Redis key' },
  { name: 'KEYWORDS_FILTER_FILE', meaning: "droid2api v2's keyword filter file" },
  { name: 'USAGE_RETENTION_DAYS', meaning: 'days the hourly history (client-key usage included) is kept' },
  { name: 'METRICS_MAX_KEY_SERIES', meaning: 'per-key series on /metrics before they are summed' },
  { name: 'CLI_VERSION_CHECK', meaning: "true: present Factory CLI's latest version upstream" },
  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', meaning: 'OTLP/HTTP collector base URL: turns tracing on' },
  { name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', meaning: 'the full OTLP traces URL' },
  { name: 'OTEL_SERVICE_NAME', meaning: 'service name on every span' },
  { name: 'OTEL_SDK_DISABLED', meaning: 'true: no traces even with an endpoint' },
  ...SECRET_VARIABLES.map((name) => ({ name: `${name}_FILE`, meaning: `${name} read from this file` })),
];
