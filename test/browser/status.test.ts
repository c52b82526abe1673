import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import { startHarness, type Harness } from '../support/harness.js';
import { chat } from '../routes/http.js';

/** Weighted selection then always draws the last usable key: every dead key is tried on the first request. */
const LAST_KEY_FIRST = () => 0.999;

/** Debian's chromium (apt-get install chromium); .ci/run installs it. */
const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = Boolean(process.env.CI);

const ADMIN = 'admin-secret-0123456789';
const KEYS = {
  good: 'k-good-aaaa-1111111111',
  quota: 'k-quota-bbbb-22222222',
  limited: 'k-limited-cccc-333333',
  revoked: 'k-revoked-dddd-444444',
};

describe.runIf(!HAVE_CHROMIUM && IN_CI)('status page in a browser (CI)', () => {
  it('has Debian chromium at /usr/bin/chromium in CI', () => {
    expect.fail(`${CHROMIUM} is missing: .ci/run must apt-get install chromium`);
  });
});

// Skipped outside CI when chromium is missing: install it with `apt-get install -y chromium`.
describe.skipIf(!HAVE_CHROMIUM)(`status page in Chromium (skipped without ${CHROMIUM})`, () => {
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  const row = (secret: string) => page.locator(`#keys tbody tr[data-fingerprint="${fingerprint(secret)}"]`);

  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_KEY: ADMIN, FACTORY_API_KEY: Object.values(KEYS).join(';') }, overrides: { random: LAST_KEY_FIRST } });
    h.fake.setKeyBehaviour(KEYS.quota, { status: 402, errorMessage: 'insufficient balance' });
    h.fake.setKeyBehaviour(KEYS.limited, { status: 429, retryAfter: 120 });
    h.fake.setKeyBehaviour(KEYS.revoked, { status: 401 });
    for (let i = 0; i < 8; i++) expect(await chat(h, { stream: i % 2 === 0 })).toBe(200);
    const now = h.services.clock.now();
    h.fake.setAllowance(KEYS.good, {
      standard: { totalAllowance: 20_000_000, userTokens: 4_500_000, startDate: now - 86_400_000, endDate: now + 12 * 86_400_000 },
      limits: { standard: { fiveHour: { usedPercent: 62, windowEnd: now + 3 * 3_600_000 } } },
    });
    await h.services.allowance!.tick();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await browser.newPage({ viewport: { width: 1500, height: 900 } });
    // CSP violations and script errors show up here; the page must have none.
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(msg.text());
    });
    page.on('pageerror', (err) => problems.push(err.message));
    // With ADMIN_KEY, /status first asks for it: the no-JavaScript sign-in form sets the session.
    await page.goto(`${h.url}/status`);
    await page.fill('#key', ADMIN);
    await page.click('button[type="submit"]');
    await page.waitForSelector('body[data-loaded="1"] #keys tbody tr[data-fingerprint]');
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('renders one row per key with a status badge and the masked key only', async () => {
    await expect.poll(() => page.locator('#keys tbody tr').count()).toBe(4);
    expect(await row(KEYS.good).locator('.badge').textContent()).toBe('active');
    expect(await row(KEYS.quota).locator('.badge-retired').textContent()).toBe('retired');
    expect(await row(KEYS.limited).locator('.badge-cooling').textContent()).toBe('cooling');
    expect(await row(KEYS.revoked).locator('.badge-disabled').textContent()).toBe('disabled');
    expect(await row(KEYS.good).locator('td').first().textContent()).toBe('k-good…1111');
    expect(await row(KEYS.quota).textContent()).toContain('insufficient balance');
    expect(await row(KEYS.limited).textContent()).toMatch(/in \d+m \d+s/);
    const html = await page.content();
    for (const secret of [...Object.values(KEYS), ADMIN]) expect(html).not.toContain(secret);
  });

  it('shows the totals and the source in the summary', async () => {
    const summary = await page.locator('#summary').innerText();
    expect(summary).toMatch(/Keys\s+4/i);
    expect(summary).toMatch(/Retired\s+1/i);
    expect(await page.locator('#source').textContent()).toContain('FACTORY_API_KEY');
  });

  it('shows each key\'s allowance: windows with percent, tokens left and reset, or "unknown"', async () => {
    const good = await row(KEYS.good).locator('td.allowance').innerText();
    expect(good).toMatch(/standard 22\.5% · 15\.5M left · resets in 11d 23h/);
    expect(good).toMatch(/standard\.fiveHour 62% · resets in 2h 59m/);
    expect(await row(KEYS.limited).locator('td.allowance').innerText()).toMatch(/unknown|not checked yet/);
    expect(await page.locator('#summary').innerText()).toMatch(/Tokens left\s+15\.5M/i);
  });

  it('reads well: a screenshot for a human look', async () => {
    const file = join(tmpdir(), 'droid2api-status.png');
    await page.screenshot({ path: file, fullPage: true });
    expect(existsSync(file)).toBe(true);
  });

  it('remembers the refresh interval in localStorage', async () => {
    await page.selectOption('#interval', '2');
    await page.reload();
    await page.waitForSelector('body[data-loaded="1"]');
    expect(await page.inputValue('#interval')).toBe('2');
    expect(await page.evaluate("localStorage.getItem('droid2api.status.interval')")).toBe('2');
  });

  it('reinstates a retired key with the typed admin key, kept in sessionStorage', async () => {
    h.fake.setKeyBehaviour(KEYS.quota, undefined);
    await page.fill('#admin-key', ADMIN);
    await page.locator('#admin-key').blur();
    expect(await page.evaluate("sessionStorage.getItem('droid2api.status.adminKey')")).toBe(ADMIN);
    await row(KEYS.quota).getByRole('button', { name: 'Reinstate' }).click();
    await expect.poll(() => row(KEYS.quota).locator('.badge').textContent()).toBe('active');
    expect(await page.locator('#message').textContent()).toBe('Reinstate done.');
  });

  it('checks a key\'s allowance on demand with the Check button', async () => {
    const now = h.services.clock.now();
    h.fake.setAllowance(KEYS.good, { standard: { totalAllowance: 20_000_000, userTokens: 20_000_000, startDate: now - 86_400_000, endDate: now + 12 * 86_400_000 } });
    await row(KEYS.good).getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => row(KEYS.good).locator('td.allowance .spent').innerText()).toMatch(/^standard 100%/);
  });

  it('ran without script errors, failed loads or CSP violations so far', () => {
    expect(problems).toEqual([]);
  });

  it('says so when the admin key is wrong', async () => {
    await page.fill('#admin-key', 'wrong-key');
    await row(KEYS.good).getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => page.locator('#message').textContent()).toMatch(/^Reset failed: Missing or wrong admin key/);
  });
});
