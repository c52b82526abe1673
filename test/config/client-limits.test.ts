import { describe, expect, it } from 'vitest';
import { clientLimitsFromEnv } from '../../src/config/client-limits.js';
import { ConfigError } from '../../src/config/load.js';

describe('client limits from the environment', () => {
  it('has explicit defaults', () => {
    expect(clientLimitsFromEnv({})).toEqual({ headersTimeoutMs: 30_000, requestTimeoutMs: 120_000, keepAliveTimeoutMs: 72_000, maxConnectionsPerIp: 256 });
  });

  it('reads each variable, 0 turning the connection cap off', () => {
    const env = { HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000', KEEP_ALIVE_TIMEOUT_MS: '3000', MAX_CONNECTIONS_PER_IP: '0' };
    expect(clientLimitsFromEnv(env)).toEqual({ headersTimeoutMs: 1000, requestTimeoutMs: 2000, keepAliveTimeoutMs: 3000, maxConnectionsPerIp: 0 });
  });

  it('refuses a value that is not a positive integer, and a head deadline beyond the request one, in one line naming the variable', () => {
    expect(() => clientLimitsFromEnv({ REQUEST_TIMEOUT_MS: '0' })).toThrow(/^REQUEST_TIMEOUT_MS: /);
    expect(() => clientLimitsFromEnv({ MAX_CONNECTIONS_PER_IP: 'many' })).toThrow(ConfigError);
    expect(() => clientLimitsFromEnv({ HEADERS_TIMEOUT_MS: '5000', REQUEST_TIMEOUT_MS: '1000' })).toThrow(/HEADERS_TIMEOUT_MS/);
  });
});
