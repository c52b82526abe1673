import { existsSync, mkdirSync, mkdtempSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, launchChromium, openStatus, watchProblems } from './browser.js';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';
import { call, chat } from '../routes/http.js';

/**
 * The dashboard after real traffic through the real pipeline (fake Factory, SQLite state in
 * a temp DATA_DIR): the endpoints and models tables against what was sent, the charts, the
 * history surviving a restart, the phone layout, and screenshots for a human look
 * (UPDATE_SCREENSHOTS=1 writes them to docs/images/ too).
 */

/** Weighted selection then always draws the last usable key: the dead keys are tried first. */
const LAST_KEY_FIRST = () => 0.999;
const ADMIN = 'admin-secret-dash-0123456789';
const KEYS = { good: 'k-dash-good-1111111111', quota: 'k-dash-quota-2222222222', limited: 'k-dash-limited-3333333' };
const SHOTS = mkdtempSync(join(tmpdir(), 'd2a-shots-'));
const DOCS_IMAGES = join(import.meta.dirname, '..', '..', 'docs', 'images');

const CHAT_MODEL = MODEL_OF_TYPE.anthropic;
const MESSAGES_MODEL = MODEL_OF_TYPE.openai;
const SENT = { chat: 5, messages: 4, messagesFailed: 1 };

async function messages(h: Harness): Promise<number> {
  const answer = await call(h, 'POST', '/v1/messages', {
    headers: { 'anthropic-version': '2023-06-01' },
    body: { model: MESSAGES_MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] },
  });
  return answer.status;
}

async function screenshot(page: Page, name: string, docs = true): Promise<void> {
  const file = join(SHOTS, name);
  await page.screenshot({ path: file, fullPage: true });
  expect(existsSync(file)).toBe(true);
  if (docs && process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOCS_IMAGES, { recursive: true });
    copyFileSync(file, join(DOCS_IMAGES, name));
  }
}

/** A traffic table's row as { column class: text }. */
async function trafficRow(page: Page, table: string, name: string): Promise<Record<string, string>> {
  const row = page.locator(`#${table} tbody tr[data-name="${name}"]`);
  const cells: Record<string, string> = {};
  for (const cls of ['requests', 'success', 'e4xx', 'e5xx', 'failovers', 'tokens-in']) cells[cls] = (await row.locator(`td.${cls}`).textContent()) ?? '';
  return cells;
}

describe.skipIf(!existsSync(CHROMIUM))('status dashboard after traffic, across a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'd2a-dash-'));
  const env = { ADMIN_KEY: ADMIN, FACTORY_API_KEY: Object.values(KEYS).join(';'), STATE_STORE: 'sqlite', DATA_DIR: dataDir };
  let h: Harness;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ env, overrides: { random: LAST_KEY_FIRST } });
    h.fake.setKeyBehaviour(KEYS.quota, { status: 402, errorMessage: 'insufficient balance' });
    h.fake.setKeyBehaviour(KEYS.limited, { status: 429, retryAfter: 600 });
    // The first request meets the cooling key, then the 402 key, then the good one: two failovers.
    for (let i = 0; i < SENT.chat; i++) expect(await chat(h, { stream: i % 2 === 0 })).toBe(200);
    for (let i = 0; i < SENT.messages - SENT.messagesFailed; i++) expect(await messages(h)).toBe(200);
    // The one key left fails: the client gets a 5xx on the second model.
    h.fake.setKeyBehaviour(KEYS.good, { status: 500 });
    expect(await messages(h)).toBeGreaterThanOrEqual(500);
    h.fake.setKeyBehaviour(KEYS.good, undefined);
    await h.services.history.recorder.flush();
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    watchProblems(page, problems);
    await openStatus(page, h.url, ADMIN);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await h?.close();
  });

  it('shows the configuration: credential mode, rotation, 402 policy, attempts, affinity, store, processes seen, keys by state', async () => {
    const text = await page.locator('#configuration').innerText();
    expect(text).toMatch(/Credential mode\s+key pool/i);
    expect(text).toMatch(/Rotation\s+weighted/i);
    expect(text).toMatch(/Remove on 402\s+on/i);
    expect(text).toMatch(/Max attempts\s+\d+/i);
    expect(text).toMatch(/State store\s+sqlite/i);
    expect(text).toMatch(/Replicas \/ workers seen\s+1 live/i);
    expect(text).toMatch(/1 active · 1 cooling · 0 disabled · 1 retired/);
  });

  it('counts each client route and upstream endpoint as the traffic sent', async () => {
    expect(await trafficRow(page, 'routes', '/v1/chat/completions')).toMatchObject({ requests: '5', success: '100%', e5xx: '0', failovers: '2' });
    // The 500 is tried once more before the client gets it: one failover on that route.
    expect(await trafficRow(page, 'routes', '/v1/messages')).toMatchObject({ requests: '4', success: '75.0%', e5xx: '1', failovers: '1' });
    expect(await page.locator('#upstreams tbody tr').count()).toBe(2);
    expect(await trafficRow(page, 'upstreams', 'anthropic')).toMatchObject({ requests: '5', failovers: '2' });
    expect(await page.locator('#routes tbody tr[data-name="/v1/messages"] td.last-error').textContent()).toMatch(/^5\d\d/);
    // The upstream endpoint that answered the 500 names it too; the one that never failed names none.
    const upstreamError = (name: string) => page.locator(`#upstreams tbody tr[data-name="${name}"] td.last-error`).textContent();
    expect(await upstreamError('openai')).toMatch(/^5\d\d/);
    expect(await upstreamError('anthropic')).toBe('–');
  });

  it('counts each model as the traffic sent', async () => {
    expect(await page.locator('#models tbody tr').count()).toBe(2);
    const chatRow = await trafficRow(page, 'models', CHAT_MODEL);
    expect(chatRow).toMatchObject({ requests: '5', success: '100%', e4xx: '0', e5xx: '0', failovers: '2' });
    expect(Number(chatRow['tokens-in'])).toBeGreaterThan(0);
    expect(await trafficRow(page, 'models', MESSAGES_MODEL)).toMatchObject({ requests: '4', success: '75.0%', e5xx: '1' });
  });

  it('draws the charts with points for the traffic, per hour and per minute', async () => {
    expect(Number(await page.locator('#chart-requests').getAttribute('data-points'))).toBeGreaterThan(0);
    expect(await page.locator('#chart-requests canvas').count()).toBe(1);
    await page.selectOption('#range', '1h');
    await expect.poll(() => page.locator('#charts-range').textContent()).toBe('last hour, per minute');
    expect(Number(await page.locator('#chart-requests').getAttribute('data-points'))).toBeGreaterThan(0);
    expect(Number(await page.locator('#chart-tokens').getAttribute('data-points'))).toBeGreaterThan(0);
    await page.selectOption('#range', '24h');
  });

  it('groups the retired key apart, with when and why', async () => {
    const retired = page.locator('#retired tbody tr');
    expect(await retired.count()).toBe(1);
    expect(await retired.innerText()).toMatch(/k-dash…2222[\s\S]*ago\)[\s\S]*insufficient balance/);
  });

  it('still shows the earlier history and last errors after a restart on the same DATA_DIR', async () => {
    await page.close();
    await h.close();
    h = await startHarness({ env, overrides: { random: LAST_KEY_FIRST } });
    const again = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    watchProblems(again, problems);
    await openStatus(again, h.url, ADMIN);
    expect(await trafficRow(again, 'models', CHAT_MODEL)).toMatchObject({ requests: '5', failovers: '2' });
    expect(await trafficRow(again, 'models', MESSAGES_MODEL)).toMatchObject({ requests: '4', e5xx: '1' });
    expect(await again.locator('#routes tbody tr[data-name="/v1/messages"] td.last-error').textContent()).toMatch(/^5\d\d/);
    expect(Number(await again.locator('#chart-requests').getAttribute('data-points'))).toBeGreaterThan(0);
    expect(await again.locator('#keys tbody tr').count()).toBe(3);
    await screenshot(again, 'status-1400.png');
    // Dark mode, for a human look only (the README shows the light one).
    await again.emulateMedia({ colorScheme: 'dark' });
    expect(await again.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(18, 21, 27)');
    await screenshot(again, 'status-1400-dark.png', false);
    await again.emulateMedia({ colorScheme: 'light' });
    page = again;
  }, 60_000);

  it('fits a 390 px phone: no horizontal page scroll, wide tables scroll in their box', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.waitForSelector('body[data-loaded="1"]');
    const widths = (await page.evaluate('({ scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth })')) as { scroll: number; inner: number };
    expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
    const keysBox = (await page.evaluate(`(() => {
      const wrap = document.querySelector('#keys').parentElement;
      return { scroll: wrap.scrollWidth, client: wrap.clientWidth };
    })()`)) as { scroll: number; client: number };
    expect(keysBox.scroll).toBeGreaterThan(keysBox.client);
    await screenshot(page, 'status-390.png');
  });

  it('ran without script errors, failed loads or CSP violations', () => {
    expect(problems).toEqual([]);
  });
});
