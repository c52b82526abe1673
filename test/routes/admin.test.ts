import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClientAuthorizationSource } from '../../src/keys/client-source.js';
import { fingerprint } from '../../src/keys/credential.js';
import type { KeyView } from '../../src/keys/pool.js';
import { startHarness, type Harness } from '../support/harness.js';
import { call, chat, type Answer } from './http.js';

const ADMIN = 'admin-secret-0123456789';
const ENV_A = 'k-env-aaaa-1111111111';
const ENV_B = 'k-env-bbbb-2222222222';
const ADDED = 'k-added-cccc-33333333';
const SECRETS = [ADMIN, ENV_A, ENV_B, ADDED];
const AS_ADMIN = { authorization: `Bearer ${ADMIN}` };

/** Every admin answer of this file, to check at the end that none held a full key. */
const seen: Answer[] = [];

async function admin(h: Harness, method: string, path: string, body?: unknown, headers: Record<string, string> = AS_ADMIN): Promise<Answer> {
  const answer = await call(h, method, `/admin/api${path}`, { headers, body });
  seen.push(answer);
  return answer;
}

async function listed(h: Harness): Promise<KeyView[]> {
  const answer = await admin(h, 'GET', '/keys');
  expect(answer.status).toBe(200);
  return (answer.json as { keys: KeyView[] }).keys;
}

const errorOf = (a: Answer) => (a.json as { error: { type: string; code: string; param: string | null } }).error;

let dataDir: string;
let h: Harness;

/** Weighted selection then always draws the last usable key, so ENV_B meets its 402 at once. */
const LAST_KEY_FIRST = () => 0.999;
const start = () => startHarness({ env: { ADMIN_KEY: ADMIN, FACTORY_API_KEY: `${ENV_A};${ENV_B}`, STATE_STORE: 'sqlite', DATA_DIR: dataDir }, overrides: { random: LAST_KEY_FIRST } });

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'd2a-admin-'));
  h = await start();
});
afterAll(async () => h.close());

describe('admin API authentication', () => {
  it('answers 401 in the OpenAI error shape when no admin key is given', async () => {
    const answer = await admin(h, 'GET', '/keys', undefined, {});
    expect(answer.status).toBe(401);
    expect(errorOf(answer).type).toBe('authentication_error');
  });

  it('answers 401 to a wrong admin key, as a bearer token or in x-admin-key', async () => {
    expect((await admin(h, 'GET', '/keys', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await admin(h, 'GET', '/keys', undefined, { 'x-admin-key': `${ADMIN}x` })).status).toBe(401);
    expect((await admin(h, 'POST', '/keys/reset', undefined, { 'x-admin-key': 'short' })).status).toBe(401);
  });

  it('accepts the admin key as a bearer token or in x-admin-key', async () => {
    expect((await admin(h, 'GET', '/keys', undefined, { authorization: `Bearer ${ADMIN}` })).status).toBe(200);
    expect((await admin(h, 'GET', '/keys', undefined, { 'x-admin-key': ADMIN })).status).toBe(200);
  });
});

describe('admin API keys', () => {
  it('lists the keys masked, with their fingerprints and the credential source', async () => {
    const answer = await admin(h, 'GET', '/keys');
    const body = answer.json as { source: string; keys: KeyView[] };
    expect(body.source).toContain('FACTORY_API_KEY');
    expect(body.keys.map((k) => k.fingerprint)).toEqual([fingerprint(ENV_A), fingerprint(ENV_B)]);
    expect(body.keys[0]!.masked).toBe('k-env-…1111');
  });

  it('rejects an empty, malformed or missing key with 400 naming the field', async () => {
    for (const body of [{ key: '' }, { key: '   ' }, { key: 'has space inside-123' }, { key: 'a;b-12345678' }, { key: 42 }, {}]) {
      const answer = await admin(h, 'POST', '/keys', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(answer).param).toBe('key');
    }
  });

  it('answers 404 for an unknown fingerprint on delete, reinstate and reset', async () => {
    expect((await admin(h, 'DELETE', '/keys/deadbeef')).status).toBe(404);
    expect((await admin(h, 'POST', '/keys/deadbeef/reinstate')).status).toBe(404);
    expect((await admin(h, 'POST', '/keys/deadbeef/reset')).status).toBe(404);
  });

  it('reinstates a key retired for answering 402', async () => {
    h.fake.setKeyBehaviour(ENV_B, { status: 402, errorMessage: 'insufficient balance' });
    const fpB = fingerprint(ENV_B);
    for (let i = 0; i < 20 && h.services.keys.pool!.snapshot().find((k) => k.fingerprint === fpB)!.status !== 'retired'; i++) {
      expect(await chat(h)).toBe(200);
    }
    expect((await listed(h)).find((k) => k.fingerprint === fpB)).toMatchObject({ status: 'retired' });
    h.fake.setKeyBehaviour(ENV_B, undefined);

    const answer = await admin(h, 'POST', `/keys/${fpB}/reinstate`);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ fingerprint: fpB, status: 'active' });
    expect((await listed(h)).find((k) => k.fingerprint === fpB)!.reason).toBeUndefined();
  });

  it('zeroes the counters of one key, then of all keys, keeping their status', async () => {
    for (let i = 0; i < 4; i++) expect(await chat(h)).toBe(200);
    const before = await listed(h);
    expect(before.reduce((n, k) => n + k.success, 0)).toBeGreaterThan(0);
    const fpA = fingerprint(ENV_A);
    const one = await admin(h, 'POST', `/keys/${fpA}/reset`);
    expect(one.json).toMatchObject({ fingerprint: fpA, success: 0, failure: 0, tokensIn: 0, tokensOut: 0, byStatus: {} });
    const all = await admin(h, 'POST', '/keys/reset');
    expect(all.json).toEqual({ reset: 2 });
    for (const k of await listed(h)) expect(k).toMatchObject({ success: 0, failure: 0, tokensIn: 0, status: 'active' });
  });

  it('adds a key (201, masked) and removes keys so that no request uses them any more', async () => {
    const added = await admin(h, 'POST', '/keys', { key: ADDED });
    expect(added.status).toBe(201);
    expect(added.json).toEqual({ fingerprint: fingerprint(ADDED), masked: 'k-adde…3333' });
    expect((await listed(h)).map((k) => k.fingerprint)).toContain(fingerprint(ADDED));
    expect((await admin(h, 'POST', '/keys', { key: ADDED })).status).toBe(200);

    expect((await admin(h, 'DELETE', `/keys/${fingerprint(ENV_B)}`)).json).toEqual({ fingerprint: fingerprint(ENV_B), removed: true });
    expect((await admin(h, 'DELETE', `/keys/${fingerprint(ADDED)}`)).status).toBe(200);
    expect((await listed(h)).map((k) => k.fingerprint)).toEqual([fingerprint(ENV_A)]);
    h.fake.reset();
    for (let i = 0; i < 5; i++) expect(await chat(h)).toBe(200);
    expect([...h.fake.keyLog().keys()]).toEqual([ENV_A]);
  });

  it('refuses to remove the last key with 409', async () => {
    const answer = await admin(h, 'DELETE', `/keys/${fingerprint(ENV_A)}`);
    expect(answer.status).toBe(409);
    expect(errorOf(answer).code).toBe('last_key');
  });

  it('keeps removed keys removed after a restart, and adding a removed key back un-removes it', async () => {
    await h.close();
    h = await start();
    expect((await listed(h)).map((k) => k.fingerprint)).toEqual([fingerprint(ENV_A)]);

    expect((await admin(h, 'POST', '/keys', { key: ENV_B })).status).toBe(201);
    await h.close();
    h = await start();
    expect((await listed(h)).map((k) => k.fingerprint)).toEqual([fingerprint(ENV_A), fingerprint(ENV_B)]);
  });
});

describe('adding a key to a running gateway', () => {
  it('puts the added key in service for the very next request', async () => {
    const g = await startHarness({ env: { ADMIN_KEY: ADMIN, FACTORY_API_KEY: ENV_A } });
    try {
      g.fake.setKeyBehaviour(ENV_A, { status: 401 });
      expect(await chat(g)).toBe(401);
      expect((await admin(g, 'POST', '/keys', { key: ADDED })).status).toBe(201);
      expect(await chat(g)).toBe(200);
      expect(g.fake.keyLog().get(ADDED)?.count).toBe(1);
    } finally {
      await g.close();
    }
  });

  it('switches a gateway without keys (client authorization) to a key pool', async () => {
    const g = await startHarness({ env: { ADMIN_KEY: ADMIN, FACTORY_API_KEY: '' } });
    try {
      expect(await chat(g)).toBe(401);
      expect((await listed(g))).toEqual([]);
      expect((await admin(g, 'POST', '/keys', { key: ADDED })).status).toBe(201);
      expect(await chat(g)).toBe(200);
      expect(g.fake.keyLog().get(ADDED)?.count).toBe(1);
      expect((await admin(g, 'GET', '/keys')).json).toMatchObject({ source: expect.stringContaining('admin API') });
    } finally {
      await g.close();
    }
  });

  it('answers 409 when the credential source was injected and cannot be switched without a restart', async () => {
    const g = await startHarness({ env: { ADMIN_KEY: ADMIN, FACTORY_API_KEY: '' }, credentials: new ClientAuthorizationSource() });
    try {
      const answer = await admin(g, 'POST', '/keys', { key: ADDED });
      expect(answer.status).toBe(409);
      expect(errorOf(answer).code).toBe('restart_required');
    } finally {
      await g.close();
    }
  });
});

describe('without ADMIN_KEY', () => {
  it('answers 404 on every /admin path, as if the API did not exist', async () => {
    const g = await startHarness({ env: { FACTORY_API_KEY: ENV_A } });
    try {
      expect((await admin(g, 'GET', '/keys')).status).toBe(404);
      expect((await admin(g, 'POST', '/keys', { key: ADDED })).status).toBe(404);
      expect((await call(g, 'GET', '/admin')).status).toBe(404);
    } finally {
      await g.close();
    }
  });
});

describe('secrets', () => {
  it('never returned a full key or the admin key in any admin answer', () => {
    expect(seen.length).toBeGreaterThan(20);
    for (const answer of seen) for (const secret of SECRETS) expect(answer.text).not.toContain(secret);
  });
});
