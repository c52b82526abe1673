/**
 * Without GATEWAY_API_KEY: the gateway stays open until the first client key exists, then
 * every request needs a key; without server credentials (each caller's own Factory key
 * pays) there are no client keys.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';
import { ADMIN_KEY, admin, createClient } from './support.js';
import { CLIENTS_VALUE } from '../../src/clients/registry.js';
import { hashClientKey } from '../../src/clients/client-record.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function chat(g: Harness, key?: string): Promise<number> {
  const res = await fetch(`${g.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
    body: JSON.stringify({ model: MODEL_OF_TYPE.common, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.text();
  return res.status;
}

describe('an open gateway', () => {
  it('closes with its first client key and opens again when the last one is deleted', async () => {
    h = await startHarness({ env: { ADMIN_KEY } });
    h.fake.setScenario({ text: 'ok' });
    expect(await chat(h)).toBe(200);
    const c = await createClient(h, { name: 'first' });
    expect(await chat(h)).toBe(401);
    expect(await chat(h, 'anything')).toBe(401);
    expect(await chat(h, c.key)).toBe(200);
    expect((await admin(h, 'DELETE', `/clients/${c.id}`)).status).toBe(200);
    expect(await chat(h)).toBe(200);
  });

  it('without server credentials client keys are refused (409): the caller\'s own key is what pays', async () => {
    h = await startHarness({ env: { ADMIN_KEY, FACTORY_API_KEY: '' } });
    const res = await admin(h, 'POST', '/clients', { name: 'nope' });
    expect(res.status).toBe(409);
    expect(res.json.error.message).toMatch(/server credentials/);
    // Keys made while the gateway had its own credentials are refused, never sent upstream as a Factory key.
    const key = 'dk-' + 'K'.repeat(40);
    await h.services.store.setValue(CLIENTS_VALUE, JSON.stringify([{ id: 'cl_old', name: 'old', keyHash: hashClientKey(key), keyTail: 'KKKK', models: null, limits: {}, expiresAt: null, disabled: false, createdAt: 0, updatedAt: 0 }]));
    await h.services.clients.registry.load();
    expect(await chat(h, key)).toBe(401);
    expect(h.fake.requests).toHaveLength(0);
    // Everyone else still pays with their own key, as before.
    h.fake.setScenario({ text: 'ok' });
    expect(await chat(h, 'fk-callers-own-key-123456')).toBe(200);
    expect(h.fake.requests.at(-1)!.key).toBe('fk-callers-own-key-123456');
  });

  it('/status.json shows the clients to the admin only, even with STATUS_PUBLIC=true', async () => {
    h = await startHarness({ env: { ADMIN_KEY, STATUS_PUBLIC: 'true' } });
    const c = await createClient(h, { name: 'private' });
    const anonymous = (await (await fetch(`${h.url}/status.json`)).json()) as Record<string, unknown>;
    expect(anonymous).not.toHaveProperty('clients');
    expect(JSON.stringify(anonymous)).not.toContain('private');
    const asAdmin = (await (await fetch(`${h.url}/status.json`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as { clients: Array<{ id: string }> };
    expect(asAdmin.clients.map((x) => x.id)).toEqual([c.id]);
  });
});
