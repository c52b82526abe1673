import { describe, expect, it } from 'vitest';
import { humanSummary, startupFacts, type StartupInput } from '../../src/config/startup-summary.js';

const base: StartupInput = {
  host: '0.0.0.0',
  port: 3000,
  credentialMode: 'keys',
  keyStatuses: ['active', 'cooling', 'retired', 'disabled', 'active'],
  store: 'sqlite',
  workers: 2,
  gatewayKey: true,
  adminKey: false,
};

describe('startup facts', () => {
  it('counts usable, retired and total keys and names a status URL a browser can open', () => {
    expect(startupFacts(base)).toEqual({
      listen: 'http://0.0.0.0:3000',
      credentialMode: 'keys',
      keys: { usable: 3, retired: 1, total: 5 },
      store: 'sqlite',
      workers: 2,
      statusUrl: 'http://localhost:3000/status',
      apiProtected: true,
      statusProtected: true,
    });
  });

  it.each<[string, Partial<StartupInput>, boolean, boolean]>([
    ['server keys, no gateway key, no admin key', { gatewayKey: false }, false, false],
    ['admin key only', { gatewayKey: false, adminKey: true }, false, true],
    ["client-authorization: the caller's own key pays", { gatewayKey: false, credentialMode: 'client-authorization', keyStatuses: [] }, true, false],
  ])('%s → API protected %s, status protected %s', (_name, change, api, status) => {
    const facts = startupFacts({ ...base, ...change });
    expect([facts.apiProtected, facts.statusProtected]).toEqual([api, status]);
  });

  it('brackets IPv6 hosts in URLs', () => {
    expect(startupFacts({ ...base, host: '::1' })).toMatchObject({ listen: 'http://[::1]:3000', statusUrl: 'http://[::1]:3000/status' });
  });

  it('prints a short human block with every fact and each warning', () => {
    const text = humanSummary(startupFacts({ ...base, gatewayKey: false }), ['set GATEWAY_API_KEY']);
    expect(text).toContain('listening on http://0.0.0.0:3000');
    expect(text).toContain('keys (3 usable / 1 retired / 5 total)');
    expect(text).toContain('sqlite, 2 workers');
    expect(text).toContain('http://localhost:3000/status');
    expect(text).toContain('API NO, status NO');
    expect(text).toContain('warning      set GATEWAY_API_KEY');
  });
});
