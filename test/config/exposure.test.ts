import { describe, expect, it } from 'vitest';
import { assessExposure, isLoopback, type ExposureInput } from '../../src/config/exposure.js';

const base: ExposureInput = { host: '0.0.0.0', serverCredentials: true, gatewayKey: false, adminKey: true, requireGatewayKey: false };

describe('isLoopback', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['localhost', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.10', false],
    ['example.org', false],
  ])('%s → %s', (host, loopback) => expect(isLoopback(host)).toBe(loopback));
});

describe('assessExposure', () => {
  it.each<[string, Partial<ExposureInput>, { warn: RegExp[]; refuse?: RegExp }]>([
    ['loopback with server keys and no gateway key is fine', { host: '127.0.0.1' }, { warn: [] }],
    ['exposed with server keys and no gateway key warns, naming GATEWAY_API_KEY and the stake', {}, { warn: [/GATEWAY_API_KEY.*spends your Factory keys/] }],
    ['exposed with a gateway key is fine', { gatewayKey: true }, { warn: [] }],
    ['exposed with client keys (every API request needs one) is fine', { clientKeys: true }, { warn: [] }],
    ['REQUIRE_GATEWAY_KEY with client keys and no gateway key starts', { requireGatewayKey: true, clientKeys: true }, { warn: [] }],
    ['exposed in client-authorization mode (callers pay with their own key) is fine', { serverCredentials: false }, { warn: [] }],
    ['REQUIRE_GATEWAY_KEY turns the warning into a refusal with the fix', { requireGatewayKey: true }, { warn: [], refuse: /^refusing to start: .*fix: set GATEWAY_API_KEY/ }],
    ['REQUIRE_GATEWAY_KEY with a gateway key starts', { requireGatewayKey: true, gatewayKey: true }, { warn: [] }],
    ['REQUIRE_GATEWAY_KEY on loopback starts', { requireGatewayKey: true, host: 'localhost' }, { warn: [] }],
    ['exposed with no key at all also warns about the status page', { adminKey: false }, { warn: [/GATEWAY_API_KEY/, /ADMIN_KEY.*\/status/] }],
    ['exposed, client-authorization, no admin key: only the status warning', { adminKey: false, serverCredentials: false }, { warn: [/ADMIN_KEY/] }],
  ])('%s', (_name, change, expected) => {
    const verdict = assessExposure({ ...base, ...change });
    expect(verdict.warnings).toHaveLength(expected.warn.length);
    expected.warn.forEach((re, i) => expect(verdict.warnings[i]).toMatch(re));
    if (expected.refuse) expect(verdict.refusal).toMatch(expected.refuse);
    else expect(verdict.refusal).toBeUndefined();
    if (verdict.refusal) expect(verdict.refusal).not.toContain('\n');
  });
});
