import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import { startHarness, type Harness } from '../support/harness.js';
import { chat } from '../routes/http.js';

/** Debian's chromium, as in status.test.ts (which fails in CI when it is missing). */
const CHROMIUM = '/usr/bin/chromium';
const ADMIN = 'admin-secret-nojs-0123456789';
const KEYS = { good: 'k-nojs-good-1111111111', quota: 'k-nojs-quota-2222222222' };
const WARNING = 'listening on 0.0.0.0 with server credentials and no GATEWAY_API_KEY';

describe.skipIf(!existsSync(CHROMIUM))('status page with JavaScript disabled', () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    // The weighted draw takes the last key first: the 402 key answers the first request.
    h = await startHarness({ env: { ADMIN_KEY: ADMIN, FACTORY_API_KEY: `${KEYS.good};${KEYS.quota}` }, overrides: { random: () => 0.999 } });
    h.fake.setKeyBehaviour(KEYS.quota, { status: 402, errorMessage: 'insufficient balance' });
    for (let i = 0; i < 3; i++) expect(await chat(h, {})).toBe(200);
    h.services.warnings.push(WARNING);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
    const context = await browser.newContext({ javaScriptEnabled: false });
    page = await context.newPage();
    // The sign-in form works without JavaScript: a form post, then the page itself.
    await page.goto(`${h.url}/status`);
    await page.fill('#key', ADMIN);
    await Promise.all([page.waitForURL(`${h.url}/status`), page.click('button[type=submit]')]);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('shows the summary figures rendered by the server', async () => {
    const summary = await page.locator('#summary').innerText();
    expect(summary).toMatch(/Keys\s+2/i);
    expect(summary).toMatch(/Active\s+1/i);
    expect(summary).toMatch(/Retired\s+1/i);
    expect(summary).toMatch(/Success\s+3/i);
  });

  it('shows the key table with masked keys and states, and no secret', async () => {
    const row = (secret: string) => page.locator(`#keys tbody tr[data-fingerprint="${fingerprint(secret)}"]`);
    expect(await page.locator('#keys tbody tr').count()).toBe(2);
    expect(await row(KEYS.good).locator('.badge').textContent()).toBe('active');
    expect(await row(KEYS.quota).locator('.badge').textContent()).toBe('retired');
    expect(await row(KEYS.good).locator('td').first().textContent()).toBe('k-nojs…1111');
    expect(await row(KEYS.quota).textContent()).toContain('insufficient balance');
    const html = await page.content();
    for (const secret of [...Object.values(KEYS), ADMIN]) expect(html).not.toContain(secret);
  });

  it('shows the start-up warnings and says the live view needs JavaScript', async () => {
    expect(await page.locator('#warnings').innerText()).toContain(WARNING);
    expect(await page.locator('main').innerText()).toMatch(/live view .*needs JavaScript/);
  });
});
