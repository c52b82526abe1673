/**
 * Client keys through the admin API, used by the official SDKs: created once with the key
 * shown once, accepted wherever GATEWAY_API_KEY is, refused (401) when unknown, disabled,
 * expired, rotated away or deleted, on the very next request; the model allow-list (403).
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';
import { CLIENTS_VALUE } from '../../src/clients/registry.js';
import { ADMIN_KEY, admin, createClient } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_API_KEY: 'gw-secret-1', ADMIN_KEY } });
  h.fake.setScenario({ text: 'ok', usage: { input: 10, output: 5, cached: 0 } });
});
afterAll(async () => h.close());

const openai = (key: string) => new OpenAI({ baseURL: `${h.url}/v1`, apiKey: key, maxRetries: 0 });
const anthropic = (key: string) => new Anthropic({ baseURL: h.url, apiKey: key, maxRetries: 0 });
const gemini = (key: string) => new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: h.url } });

const chat = (key: string, model: string = MODEL_OF_TYPE.anthropic) => openai(key).chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

describe('admin API', () => {
  it('creates a client: 201 with the key once (dk- + 32+ base62), stored as a hash only', async () => {
    const res = await admin(h, 'POST', '/clients', { name: 'alice', models: ['claude-*'], limits: { rpm: 100 }, expires_at: '2099-01-01T00:00:00Z' });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ id: expect.any(String), name: 'alice', models: ['claude-*'], limits: { rpm: 100 }, expires_at: '2099-01-01T00:00:00.000Z', disabled: false });
    const key = res.json.key as string;
    expect(key).toMatch(/^dk-[0-9A-Za-z]{32,}$/);
    const stored = (await h.services.store.getValue(CLIENTS_VALUE))!;
    expect(stored).not.toContain(key);
    expect(stored).not.toContain(key.slice(3, 20));
    const list = await admin(h, 'GET', '/clients');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(key);
    expect(list.json.clients.find((c: { id: string }) => c.id === res.json.id)).toMatchObject({ name: 'alice', key_hint: `dk-…${key.slice(-4)}`, usage: { today: { requests: 0, tokens: 0 } }, in_flight: 0 });
    const one = await admin(h, 'GET', `/clients/${res.json.id}`);
    expect(one.json).toMatchObject({ id: res.json.id, name: 'alice' });
    expect(one.text).not.toContain(key);
  });

  it('answers clear errors: bad body 400, unknown limit 400, duplicate name 409, unknown id 404', async () => {
    expect((await admin(h, 'POST', '/clients', {})).status).toBe(400);
    const typo = await admin(h, 'POST', '/clients', { name: 'x', limits: { rpd: 3 } });
    expect(typo.status).toBe(400);
    expect(typo.json.error.message).toMatch(/rpd/);
    expect((await admin(h, 'POST', '/clients', { name: 'x', limits: { rpm: -1 } })).status).toBe(400);
    expect((await admin(h, 'POST', '/clients', { name: 'x', expires_at: 'tomorrow' })).status).toBe(400);
    await createClient(h, { name: 'dup' });
    expect((await admin(h, 'POST', '/clients', { name: 'dup' })).status).toBe(409);
    expect((await admin(h, 'GET', '/clients/cl_nope')).status).toBe(404);
    expect((await admin(h, 'PATCH', '/clients/cl_nope', { disabled: true })).status).toBe(404);
    expect((await admin(h, 'DELETE', '/clients/cl_nope')).status).toBe(404);
    expect((await admin(h, 'POST', '/clients/cl_nope/rotate')).status).toBe(404);
    expect((await fetch(`${h.url}/admin/api/clients`)).status).toBe(401);
    expect((await fetch(`${h.url}/admin/api/clients`, { headers: { authorization: 'Bearer gw-secret-1' } })).status).toBe(401);
  });
});

describe('a client key at the API', () => {
  it('is accepted as Bearer, x-api-key, x-goog-api-key and ?key=, by every SDK; the gateway key still works', async () => {
    const { key } = await createClient(h, { name: 'bob' });
    h.fake.requests.length = 0;
    expect((await chat(key)).choices[0]!.message.content).toBe('ok');
    const m = await anthropic(key).messages.create({ model: MODEL_OF_TYPE.anthropic, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    expect(m.content[0]).toMatchObject({ type: 'text', text: 'ok' });
    const g = await gemini(key).models.generateContent({ model: MODEL_OF_TYPE.google, contents: 'hi' });
    expect(g.text).toBe('ok');
    const q = await fetch(`${h.url}/v1beta/models/${MODEL_OF_TYPE.google}:generateContent?key=${key}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }) });
    expect(q.status).toBe(200);
    expect((await chat('gw-secret-1')).choices[0]!.message.content).toBe('ok');
    // The client's key never goes upstream: the server key pays.
    expect(h.fake.requests.every((r) => r.key === 'test-key-1')).toBe(true);
    expect(JSON.stringify(h.fake.requests.map((r) => [r.headers, r.path]))).not.toContain(key);
  });

  it('unknown key: 401 in the OpenAI, Anthropic and Gemini shapes', async () => {
    const unknown = `dk-${'A'.repeat(40)}`;
    await expect(chat(unknown)).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const err = await anthropic(unknown).messages.create({ model: MODEL_OF_TYPE.anthropic, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    const gerr = (await gemini(unknown).models.generateContent({ model: MODEL_OF_TYPE.google, contents: 'hi' }).catch((e: unknown) => e)) as { status?: number; message: string };
    expect(gerr.status).toBe(401);
    expect(gerr.message).toContain('UNAUTHENTICATED');
  });

  it('disable, expire, rotate and delete take effect on the next request', async () => {
    const c = await createClient(h, { name: 'carol' });
    expect((await chat(c.key)).choices[0]!.message.content).toBe('ok');

    expect((await admin(h, 'PATCH', `/clients/${c.id}`, { disabled: true })).json).toMatchObject({ disabled: true });
    const disabled = (await chat(c.key).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.AuthenticationError>;
    expect(disabled).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(disabled.message).toMatch(/disabled/);
    await admin(h, 'PATCH', `/clients/${c.id}`, { disabled: false });
    expect((await chat(c.key)).choices[0]!.message.content).toBe('ok');

    await admin(h, 'PATCH', `/clients/${c.id}`, { expires_at: new Date(Date.now() - 1000).toISOString() });
    const expired = (await chat(c.key).catch((e: unknown) => e)) as Error;
    expect(expired).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(expired.message).toMatch(/expired/);
    await admin(h, 'PATCH', `/clients/${c.id}`, { expires_at: null });
    expect((await chat(c.key)).choices[0]!.message.content).toBe('ok');

    const rotated = await admin(h, 'POST', `/clients/${c.id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.json.key).toMatch(/^dk-[0-9A-Za-z]{32,}$/);
    expect(rotated.json.key).not.toBe(c.key);
    await expect(chat(c.key)).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect((await chat(rotated.json.key)).choices[0]!.message.content).toBe('ok');

    expect((await admin(h, 'DELETE', `/clients/${c.id}`)).json).toMatchObject({ id: c.id, deleted: true });
    await expect(chat(rotated.json.key)).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
  });

  it('a model outside the allow-list: 403 naming the model, in each dialect; globs and redirects allowed', async () => {
    const { key } = await createClient(h, { name: 'dave', models: ['claude-*', MODEL_OF_TYPE.openai] });
    expect((await chat(key, MODEL_OF_TYPE.anthropic)).choices[0]!.message.content).toBe('ok');
    expect((await chat(key, MODEL_OF_TYPE.openai)).choices[0]!.message.content).toBe('ok');
    const o = (await chat(key, MODEL_OF_TYPE.common).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.PermissionDeniedError>;
    expect(o).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(o.message).toContain(MODEL_OF_TYPE.common);
    const a = (await anthropic(key).messages.create({ model: MODEL_OF_TYPE.common, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)) as InstanceType<typeof Anthropic.PermissionDeniedError>;
    expect(a).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expect(a.error).toMatchObject({ type: 'error', error: { type: 'permission_error' } });
    expect(a.message).toContain(MODEL_OF_TYPE.common);
    const listed = await openai(key).models.list();
    expect(listed.data.length).toBeGreaterThan(1);
    expect(listed.data.every((m) => m.id.startsWith('claude-') || m.id === MODEL_OF_TYPE.openai)).toBe(true);
    const g = (await gemini(key).models.generateContent({ model: MODEL_OF_TYPE.google, contents: 'hi' }).catch((e: unknown) => e)) as { status?: number; message: string };
    expect(g.status).toBe(403);
    expect(g.message).toContain('PERMISSION_DENIED');
    expect(g.message).toContain(MODEL_OF_TYPE.google);
  });
});
