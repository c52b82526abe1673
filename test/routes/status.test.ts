import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import type { KeyView } from '../../src/keys/pool.js';
import { effectiveStatus, statusTotals, successRate, type StatusDocument, type StatusKey } from '../../src/routes/status-data.js';
import { emptyKeyRecord } from '../../src/state/store.js';
import { FakeWorkos } from '../keys/refresh/helpers.js';
import { startHarness, type Harness } from '../support/harness.js';
import { call, chat } from './http.js';

/** Weighted selection then always draws the last usable key: every dead key is tried on the first request. */
const LAST_KEY_FIRST = () => 0.999;

const GOOD = 'k-good-aaaa-1111111111';
const QUOTA = 'k-quota-bbbb-22222222';
const REVOKED = 'k-revoked-cccc-333333';

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { FACTORY_API_KEY: [GOOD, QUOTA, REVOKED].join(';') }, overrides: { random: LAST_KEY_FIRST } });
  h.fake.setKeyBehaviour(QUOTA, { status: 402 });
  h.fake.setKeyBehaviour(REVOKED, { status: 401 });
  // Failover hides the dead keys from the client: each is tried once, on the first request.
  for (let i = 0; i < 6; i++) expect(await chat(h, { stream: i % 2 === 1 })).toBe(200);
});
afterAll(async () => h.close());

const view = (fields: Partial<KeyView>): KeyView => ({ ...emptyKeyRecord('abcd1234'), masked: 'k-xxxx…1234', score: 1, ...fields });

describe('GET /status.json', () => {
  it('describes the gateway: version, uptime, source, selection strategy and the 402 policy', async () => {
    const answer = await call(h, 'GET', '/status.json');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toBe('no-store');
    const doc = answer.json as StatusDocument;
    expect(doc).toMatchObject({ version: '3.0.0', strategy: 'weighted', removeOn402: true });
    expect(doc.uptimeSeconds).toBeGreaterThanOrEqual(0);
    expect(doc.source).toContain('FACTORY_API_KEY');
    expect(doc.refresh).toBeUndefined();
  });

  it('lists every key masked, with its status, counters and success rate', async () => {
    const doc = (await call(h, 'GET', '/status.json')).json as StatusDocument;
    const byKey = (secret: string) => doc.keys.find((k) => k.fingerprint === fingerprint(secret))!;
    expect(byKey(GOOD)).toMatchObject({ status: 'active', masked: 'k-good…1111', failure: 0, successRate: 1 });
    expect(byKey(GOOD).success).toBe(6);
    expect(byKey(GOOD).tokensIn).toBeGreaterThan(0);
    expect(byKey(QUOTA)).toMatchObject({ status: 'retired', success: 0, failure: 1, successRate: 0, byStatus: { '402': 1 } });
    expect(byKey(REVOKED)).toMatchObject({ status: 'disabled', failure: 1 });
  });

  it('adds the keys up in totals', async () => {
    const doc = (await call(h, 'GET', '/status.json')).json as StatusDocument;
    expect(doc.totals).toMatchObject({ keys: 3, active: 1, cooling: 0, disabled: 1, retired: 1, success: 6, failure: 2 });
    expect(doc.totals.tokensIn).toBe(doc.keys.reduce((n, k) => n + k.tokensIn, 0));
    expect(doc.totals.tokensOut).toBeGreaterThan(0);
  });

  it('pages the keys with offset and limit, totals counting every key', async () => {
    const doc = (await call(h, 'GET', '/status.json?offset=1&limit=1')).json as StatusDocument;
    expect(doc.keys.map((k) => k.fingerprint)).toEqual([fingerprint(QUOTA)]);
    expect(doc.keysPage).toEqual({ offset: 1, limit: 1, total: 3 });
    expect(doc.totals.keys).toBe(3);
    const whole = (await call(h, 'GET', '/status.json?limit=x')).json as StatusDocument;
    expect(whole.keysPage).toEqual({ offset: 0, limit: 500, total: 3 });
    expect(whole.keys).toHaveLength(3);
  });

  it('never shows a full key', async () => {
    const text = (await call(h, 'GET', '/status.json')).text;
    for (const secret of [GOOD, QUOTA, REVOKED]) expect(text).not.toContain(secret);
  });

  it('reports the refresh-token statistics when credentials come from a refresh token', async () => {
    const workos = await new FakeWorkos(['rt-0']).listen();
    const g = await startHarness({ env: { FACTORY_API_KEY: '', DROID_REFRESH_KEY: 'rt-0', DROID_REFRESH_URL: workos.url } });
    try {
      const doc = (await call(g, 'GET', '/status.json')).json as StatusDocument;
      expect(doc.keys).toEqual([]);
      expect(doc.totals.keys).toBe(0);
      expect(doc.refresh).toMatchObject({ refreshes: 1, failures: 0 });
      expect(doc.source).toContain('refresh token');
    } finally {
      await g.close();
      await workos.close();
    }
  });
});

describe('status arithmetic', () => {
  it('counts a cooling key whose rest is over as active, and one still resting as cooling', () => {
    expect(effectiveStatus(view({ status: 'cooling', coolingUntil: 1_000 }), 2_000)).toBe('active');
    expect(effectiveStatus(view({ status: 'cooling', coolingUntil: 3_000 }), 2_000)).toBe('cooling');
    expect(effectiveStatus(view({ status: 'retired' }), 2_000)).toBe('retired');
  });

  it('has no success rate before the first answer', () => {
    expect(successRate({ success: 0, failure: 0 })).toBeNull();
    expect(successRate({ success: 3, failure: 1 })).toBe(0.75);
  });

  it('sums statuses, outcomes and tokens', () => {
    const keys: Array<Omit<StatusKey, 'allowance'>> = [
      { ...view({ status: 'active', success: 2, tokensIn: 10, tokensOut: 5 }), successRate: 1 },
      { ...view({ status: 'cooling', failure: 3, tokensIn: 1 }), successRate: 0 },
    ];
    expect(statusTotals(keys)).toEqual({ keys: 2, active: 1, cooling: 1, disabled: 0, retired: 0, success: 2, failure: 3, tokensIn: 11, tokensOut: 5 });
  });
});

describe('GET /status', () => {
  it('serves a page whose scripts and styles come from the gateway only, under a CSP of \'self\'', async () => {
    const answer = await call(h, 'GET', '/status');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = answer.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(answer.text).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//);
    expect(answer.text).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(answer.text).not.toMatch(/<style|\sstyle=/);
    expect(answer.text).toContain('status.json');
    const scripts = [...answer.text.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
    expect(scripts).toEqual([expect.stringMatching(/^status\/assets\/uPlot\.iife\.min\.js\?v=/), expect.stringMatching(/^status\/assets\/main\.js\?v=/)]);
  });

  it('serves its assets with an ETag and answers 304 to a matching If-None-Match', async () => {
    for (const [name, type] of [['main.js', /^text\/javascript/], ['keys.js', /^text\/javascript/], ['status.css', /^text\/css/], ['uPlot.iife.min.js', /^text\/javascript/], ['uPlot.min.css', /^text\/css/]] as const) {
      const first = await call(h, 'GET', `/status/assets/${name}`);
      expect(first.status, name).toBe(200);
      expect(first.headers.get('content-type')).toMatch(type);
      const etag = first.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"[\w-]{22}"$/);
      expect(first.headers.get('cache-control')).toBe('no-cache');
      const again = await call(h, 'GET', `/status/assets/${name}`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.text).toBe('');
    }
    expect((await call(h, 'GET', '/status/assets/main.js')).text).toMatch(/from '\.\/keys\.js'/);
    expect((await call(h, 'GET', '/status/assets/nothing.js')).status).toBe(404);
    expect((await call(h, 'GET', '/status/assets/..%2Fstatus.html')).status).toBe(404);
  });

  it('offers the admin buttons only when ADMIN_KEY is set', async () => {
    expect((await call(h, 'GET', '/status')).text).toContain('data-admin="0"');
    const g = await startHarness({ env: { ADMIN_KEY: 'admin-secret-0123456789' } });
    try {
      const page = (await call(g, 'GET', '/status', { headers: { 'x-admin-key': 'admin-secret-0123456789' } })).text;
      expect(page).toContain('data-admin="1"');
      expect(page).toContain('<th>Actions</th>');
      expect(page).not.toContain('admin-secret-0123456789');
    } finally {
      await g.close();
    }
  });
});
