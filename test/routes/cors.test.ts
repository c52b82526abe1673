import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

const CHAT = JSON.stringify({ model: 'gpt-5.4', messages: [{ role: 'user', content: 'hi' }] });
const MESSAGES = JSON.stringify({ model: 'claude-sonnet-4-6', max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(env: Record<string, string>): Promise<Harness> {
  h = await startHarness({ env });
  h.fake.setScenario({ text: 'ok' });
  return h;
}

const preflight = (g: Harness, path: string, origin: string) =>
  fetch(`${g.url}${path}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });

describe('CORS and drive-by posts', () => {
  it('a key-protected gateway allows any origin, answers preflights before authentication, and never on the admin API', async () => {
    const g = await start({ GATEWAY_API_KEY: 'gw-key', ADMIN_KEY: 'admin-key' });
    const pre = await preflight(g, '/v1/chat/completions', 'https://app.example');
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization, content-type');
    const denied = await fetch(`${g.url}/v1/chat/completions`, { method: 'POST', headers: { origin: 'https://app.example' }, body: CHAT });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe('*');
    // Where a key is required, a JSON body sent as text/plain (curl -d) is accepted as before.
    const ok = await fetch(`${g.url}/v1/chat/completions`, { method: 'POST', headers: { origin: 'https://app.example', authorization: 'Bearer gw-key', 'content-type': 'text/plain' }, body: CHAT });
    expect(ok.status).toBe(200);
    const adminPre = await preflight(g, '/admin/api/keys', 'https://app.example');
    expect(adminPre.headers.get('access-control-allow-origin')).toBeNull();
    const admin = await fetch(`${g.url}/admin/api/keys`, { headers: { origin: 'https://app.example', 'x-admin-key': 'admin-key' } });
    expect(admin.status).toBe(200);
    expect(admin.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('server keys served without a key: no origin is allowed, and bodies a page can post without preflight get 415 in the route dialect', async () => {
    const g = await start({});
    const pre = await preflight(g, '/v1/messages', 'https://evil.example');
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'Text/Plain;charset=UTF-8']) {
      const res = await fetch(`${g.url}/v1/messages`, { method: 'POST', headers: { origin: 'https://evil.example', 'content-type': type }, body: MESSAGES });
      expect(res.status).toBe(415);
      expect(res.headers.get('access-control-allow-origin')).toBeNull();
      expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    }
    const chat = await fetch(`${g.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: CHAT });
    expect(chat.status).toBe(415);
    expect(await chat.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
    expect(g.fake.requests).toHaveLength(0);
    const json = await fetch(`${g.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: CHAT });
    expect(json.status).toBe(200);
  });

  it("client-authorization mode (the caller's own key pays) allows any origin", async () => {
    const g = await start({ FACTORY_API_KEY: '' });
    const pre = await preflight(g, '/v1/messages', 'https://app.example');
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('CORS_ORIGINS lists the origins allowed, echoed one at a time', async () => {
    const g = await start({ GATEWAY_API_KEY: 'gw-key', CORS_ORIGINS: 'https://a.example, https://b.example/' });
    const a = await preflight(g, '/v1/responses', 'https://b.example');
    expect(a.headers.get('access-control-allow-origin')).toBe('https://b.example');
    expect(a.headers.get('vary')).toBe('Origin');
    const other = await preflight(g, '/v1/responses', 'https://c.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
