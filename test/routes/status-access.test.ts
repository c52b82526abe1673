import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

const ADMIN = 'admin-key-for-status-0001';
const GATEWAY = 'gw-key-for-status-0001';
const FACTORY = 'fk-status-secret-0123456789';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});
async function start(env: Record<string, string>): Promise<Harness> {
  h = await startHarness({ env: { FACTORY_API_KEY: FACTORY, ...env } });
  return h;
}

const get = (g: Harness, path: string, headers: Record<string, string> = {}) => fetch(`${g.url}${path}`, { headers, redirect: 'manual' });
const signIn = (g: Harness, key: string) =>
  fetch(`${g.url}/status/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ key }).toString() });

describe('who may see /status, /status.json, /metrics and the admin API', () => {
  it('with ADMIN_KEY: only its holder; the page without it is a sign-in form that says nothing about the pool', async () => {
    const g = await start({ ADMIN_KEY: ADMIN, GATEWAY_API_KEY: GATEWAY });
    for (const path of ['/status.json', '/metrics', '/admin/api/keys']) {
      expect((await get(g, path)).status).toBe(401);
      // A gateway key is not the admin key.
      expect((await get(g, path, { authorization: `Bearer ${GATEWAY}` })).status).toBe(401);
      expect((await get(g, path, { authorization: `Bearer ${ADMIN}` })).status).toBe(200);
      expect((await get(g, path, { 'x-admin-key': ADMIN })).status).toBe(200);
    }
    const page = await get(g, '/status');
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post" action="status/sign-in">');
    for (const leak of [FACTORY.slice(0, 6), FACTORY.slice(-4), 'fingerprint', 'claude', 'memory']) expect(html).not.toContain(leak);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('x-powered-by')).toBeNull();
  });

  it('the sign-in form sets an HttpOnly SameSite=Strict cookie holding a signed token, never the key; sign-out ends it', async () => {
    const g = await start({ ADMIN_KEY: ADMIN });
    const wrong = await signIn(g, 'not-the-key');
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();
    const res = await signIn(g, ADMIN);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('../status');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^d2a_status=[^;]+; HttpOnly; SameSite=Strict; Path=\//);
    expect(cookie).not.toContain('Secure');
    expect(cookie).not.toContain(ADMIN);
    const session = cookie.split(';')[0]!;
    const page = await get(g, '/status', { cookie: session });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-admin="1"');
    expect((await get(g, '/status.json', { cookie: session })).status).toBe(200);
    expect((await get(g, '/admin/api/keys', { cookie: session })).status).toBe(200);
    // A token altered by one character is refused.
    expect((await get(g, '/status.json', { cookie: `${session.slice(0, -1)}${session.endsWith('A') ? 'B' : 'A'}` })).status).toBe(401);
    const out = await fetch(`${g.url}/status/sign-out`, { method: 'POST', redirect: 'manual', headers: { cookie: session } });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^d2a_status=; .*Max-Age=0/);
  });

  it('marks the cookie Secure when the request came over https through a trusted proxy', async () => {
    const g = await start({ ADMIN_KEY: ADMIN, TRUST_PROXY: '127.0.0.1' });
    const res = await fetch(`${g.url}/status/sign-in`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-proto': 'https' }, body: `key=${ADMIN}` });
    expect(res.headers.get('set-cookie')).toContain('; Secure');
  });

  it('without ADMIN_KEY but with GATEWAY_API_KEY, a gateway key reads; no admin API exists', async () => {
    const g = await start({ GATEWAY_API_KEY: GATEWAY });
    expect((await get(g, '/status.json')).status).toBe(401);
    expect((await get(g, '/metrics')).status).toBe(401);
    expect((await get(g, '/status.json', { authorization: `Bearer ${GATEWAY}` })).status).toBe(200);
    expect((await get(g, '/metrics', { authorization: `Bearer ${GATEWAY}` })).status).toBe(200);
    expect((await get(g, '/admin/api/keys', { authorization: `Bearer ${GATEWAY}` })).status).toBe(404);
    const cookie = (await signIn(g, GATEWAY)).headers.get('set-cookie')!.split(';')[0]!;
    const page = await get(g, '/status', { cookie });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('data-admin="0"');
  });

  it('STATUS_PUBLIC and METRICS_PUBLIC open each page alone; health probes stay public and say nothing', async () => {
    const g = await start({ ADMIN_KEY: ADMIN, METRICS_PUBLIC: 'true' });
    expect((await get(g, '/metrics')).status).toBe(200);
    expect((await get(g, '/status.json')).status).toBe(401);
    await g.close();
    h = undefined;
    const s = await start({ ADMIN_KEY: ADMIN, STATUS_PUBLIC: 'true' });
    expect((await get(s, '/status.json')).status).toBe(200);
    expect((await get(s, '/metrics')).status).toBe(401);
    expect(await (await get(s, '/healthz')).json()).toEqual({ status: 'ok' });
    // The store's health, nothing about keys.
    expect(await (await get(s, '/readyz')).json()).toEqual({ status: 'ready', store: { kind: 'memory', state: 'ok' } });
  });

  it('with neither key, everything stays open as before', async () => {
    const g = await start({});
    for (const path of ['/status', '/status.json', '/metrics']) expect((await get(g, path)).status).toBe(200);
  });
});
