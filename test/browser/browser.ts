import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium (apt-get install chromium); .ci/run installs it. */
export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Collects script errors, failed loads and CSP violations: a page must have none. */
export function watchProblems(page: Page, problems: string[]): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
}

/** Opens /status through its no-JavaScript sign-in form and waits for the live view's first draw. */
export async function openStatus(page: Page, url: string, adminKey: string): Promise<void> {
  await page.goto(`${url}/status`);
  await page.fill('#key', adminKey);
  await Promise.all([page.waitForURL(`${url}/status`), page.click('button[type="submit"]')]);
  await page.waitForSelector('body[data-loaded="1"]');
}
