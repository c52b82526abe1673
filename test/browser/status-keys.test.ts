import { existsSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import type { ClientStatus } from '../../src/routes/status-data.js';
import { CHROMIUM, launchChromium, openStatus, watchProblems } from './browser.js';
import { startHarness, type Harness } from '../support/harness.js';

/** A pool of 500 keys stays usable: every row drawn, filtered and sorted at once. And the Clients section. */
const ADMIN = 'admin-secret-keys-0123456789';
const KEYS = Array.from({ length: 500 }, (_, i) => `k-bulk-aaaa-${String(i).padStart(10, '0')}`);

const CLIENTS: ClientStatus[] = [
  {
    id: 'cl_alpha', name: 'alpha team', disabled: false, expires_at: null, models: ['claude-sonnet-4-6'],
    limits: { rpm: 60, tokens_per_day: 100_000, tokens_per_month: 1_000_000, concurrency: 4 },
    usage: { minute: { requests: 3, tokens: 900 }, today: { requests: 40, tokens: 50_000 }, month: { requests: 400, tokens: 950_000 } },
    in_flight: 2, last_used_at: null,
  },
  {
    id: 'cl_beta', name: 'beta bot', disabled: true, expires_at: '2030-01-01T00:00:00Z', models: null, limits: {},
    usage: { minute: { requests: 0, tokens: 0 }, today: { requests: 1, tokens: 10 }, month: { requests: 1, tokens: 10 } },
    in_flight: 0, last_used_at: null,
  },
];

describe.skipIf(!existsSync(CHROMIUM))('status page with 500 keys, and client keys', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const rows = () => page.locator('#keys tbody tr[data-fingerprint]');
  const shown = () => page.locator('#keys tbody tr[data-fingerprint]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-fingerprint') ?? ''));

  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_KEY: ADMIN, FACTORY_API_KEY: KEYS.join(';') } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    watchProblems(page, problems);
    await openStatus(page, h.url, ADMIN);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('draws all 500 keys', async () => {
    expect(await rows().count()).toBe(500);
    expect(await page.locator('#key-count').textContent()).toBe('500 of 500 keys shown');
  });

  it('filters by fingerprint or by the key\'s visible end, and says how many match', async () => {
    const target = fingerprint(KEYS[123]!);
    await page.fill('#key-filter', target);
    expect(await shown()).toEqual([target]);
    await page.fill('#key-filter', 'k-bulk…0123');
    expect(await shown()).toEqual([target]);
    await page.fill('#key-filter', 'no-such-key');
    expect(await rows().count()).toBe(0);
    expect(await page.locator('#keys tbody tr.empty').textContent()).toBe('No key matches the filter.');
    await page.fill('#key-filter', '');
    expect(await rows().count()).toBe(500);
  });

  it('sorts by a column, reversed on a second click, in well under a second for 500 rows', async () => {
    const sortedUp = KEYS.map((k) => fingerprint(k)).sort();
    // Timed in the page (the test's own round trips would dominate): the click sorts and redraws synchronously.
    const clickTakes = async () =>
      (await page.evaluate(`(() => {
        const button = [...document.querySelectorAll('#keys thead button')].find((b) => b.textContent === 'Fingerprint');
        const start = performance.now();
        button.click();
        return performance.now() - start;
      })()`)) as number;
    expect(await clickTakes()).toBeLessThan(1000);
    expect(await shown()).toEqual(sortedUp);
    expect(await page.locator('#keys thead th[aria-sort="ascending"]').textContent()).toBe('Fingerprint');
    expect(await clickTakes()).toBeLessThan(1000);
    expect(await shown()).toEqual([...sortedUp].reverse());
    // The order holds across the next refresh.
    await page.click('#refresh-now');
    await expect.poll(shown).toEqual([...sortedUp].reverse());
  });

  it('tells the admin how to make a client key while there are none', async () => {
    await page.locator('#clients').waitFor({ state: 'visible' });
    expect(await page.locator('#clients-empty').innerText()).toMatch(/No client keys yet: POST \/admin\/api\/clients creates one/);
    expect(await page.locator('#clients-table').isHidden()).toBe(true);
  });

  it('shows each client\'s limits, usage against them as bars, in flight and state when status.json carries clients', async () => {
    await page.route(/\/status\.json/, async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), clients: CLIENTS } });
    });
    await page.click('#refresh-now');
    await page.locator('#clients').waitFor({ state: 'visible' });
    const alpha = page.locator('#clients tr[data-client="cl_alpha"]');
    expect(await alpha.innerText()).toMatch(/alpha team[\s\S]*active[\s\S]*claude-sonnet-4-6[\s\S]*3 \/ 60 req/);
    expect(await page.locator('#clients-empty').isHidden()).toBe(true);
    const bars = alpha.locator('.bar');
    expect(await bars.count()).toBe(2);
    expect(await bars.nth(0).getAttribute('aria-valuenow')).toBe('50000');
    expect(await bars.nth(0).getAttribute('aria-valuemax')).toBe('100000');
    expect(await bars.nth(1).getAttribute('class')).toBe('bar high');
    expect(await alpha.locator('td.num').textContent()).toBe('2 / 4');
    const beta = page.locator('#clients tr[data-client="cl_beta"]');
    expect(await beta.innerText()).toMatch(/beta bot[\s\S]*disabled[\s\S]*all[\s\S]*no limit/);
    await page.unroute(/\/status\.json/);
  });

  it('ran without script errors, failed loads or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
