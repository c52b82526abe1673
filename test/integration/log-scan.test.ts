import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import { createLogger } from '../../src/logger.js';
import { FakeWorkos } from '../keys/refresh/helpers.js';
import { call } from '../routes/http.js';
import { FakeClock } from '../support/fakes.js';
import { startHarness, type Harness } from '../support/harness.js';
import { filesUnder, leaks, LogCapture, readableByOthers, sendRaw } from '../support/secret-scan.js';

/**
 * Issue 12 item 2: with every secret configured and sent in every place a client can, at
 * LOG_LEVEL=trace, no secret appears whole in the log, the pages, the metrics or DATA_DIR.
 */

const K1 = 'fk-LogScanAlpha7Q2wE9rT4yU1iO8pA3sD6fG';
const K2 = 'fk-LogScanBravo5Z8xC1vB4nM7qW2eR9tY3uI';
const K3 = 'fk-LogScanCharlie3H6jK9lP2oI5uY8tR1eW';
const K4 = 'fk-LogScanDelta4N7mB0vC3xZ6aS9dF2gH5jK';
const GATEWAY = 'gw-LogScanGate8F1gH4jK7lQ0wE3rT6yU9iO2p';
const ADMIN = 'adm-LogScanAdmin2V5bN8mQ1wE4rT7yU0iO3pA';
const REFRESH = 'rt-LogScanRefresh6T9yU2iO5pA8sD1fG4hJ7k';
/** Prefix of the tokens the fake WorkOS issues (`…at-1`, `…rt-1`). */
const ISSUED = 'LogScanIssued9Q3wE6rT1yU4iO7p-';
/** A real key with one character wrong: what a typo sends. */
const oneOff = (key: string) => `${key.slice(0, -1)}${key.endsWith('x') ? 'y' : 'x'}`;

const MODELS = { anthropic: 'claude-sonnet-4-6', openai: 'gpt-5.4', google: 'gemini-3-flash-preview', common: 'kimi-k2.5' };
const USER = [{ role: 'user', content: 'hi' }];

let h: Harness | undefined;
let workos: FakeWorkos | undefined;
afterEach(async () => {
  await h?.close();
  await workos?.close();
  h = undefined;
  workos = undefined;
});

async function start(log: LogCapture, env: Record<string, string>, clock?: FakeClock): Promise<Harness> {
  const logger = createLogger('trace', false, log);
  h = await startHarness({ env: { STATE_STORE: 'sqlite', GATEWAY_API_KEY: GATEWAY, ADMIN_KEY: ADMIN, ...env }, log: logger, overrides: clock ? { clock } : {} });
  return h;
}

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

/** One accepted request in each dialect, stream and not, with the gateway key in that SDK's header. */
async function acceptedRequests(g: Harness): Promise<void> {
  for (const stream of [false, true]) {
    const answers = await Promise.all([
      call(g, 'POST', '/v1/chat/completions', { headers: bearer(GATEWAY), body: { model: MODELS.common, stream, messages: USER } }),
      call(g, 'POST', '/v1/responses', { headers: bearer(GATEWAY), body: { model: MODELS.openai, stream, input: 'hi' } }),
      call(g, 'POST', '/v1/messages', { headers: { 'x-api-key': GATEWAY }, body: { model: MODELS.anthropic, stream, max_tokens: 50, messages: USER } }),
      call(g, 'POST', `/v1beta/models/${MODELS.google}:${stream ? 'streamGenerateContent?alt=sse&' : 'generateContent?'}key=${GATEWAY}`, {
        body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
      }),
      call(g, 'POST', `/v1beta/models/${MODELS.google}:generateContent`, { headers: { 'x-goog-api-key': GATEWAY }, body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] } }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  }
}

/** No key, and a one-off key in every place a client can put one; malformed JSON and HTTP. */
async function rejectedRequests(g: Harness): Promise<void> {
  const wrong = oneOff(GATEWAY);
  const body = { model: MODELS.common, messages: USER };
  const statuses = await Promise.all([
    call(g, 'POST', '/v1/chat/completions', { body }),
    call(g, 'POST', `/v1beta/models/${MODELS.google}:generateContent?key=${wrong}&alt=json`, { body: { contents: [] } }),
    call(g, 'POST', `/v1beta/models/${MODELS.google}:generateContent`, { headers: { 'x-goog-api-key': wrong }, body: { contents: [] } }),
    call(g, 'POST', '/v1/messages', { headers: { 'x-api-key': wrong }, body }),
    call(g, 'POST', '/v1/chat/completions', { headers: bearer(wrong), body }),
    call(g, 'GET', '/admin/api/keys', { headers: bearer(oneOff(ADMIN)) }),
    call(g, 'GET', '/admin/api/keys', { headers: { 'x-admin-key': oneOff(ADMIN) } }),
  ]);
  expect(statuses.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 401, 401]);
  const malformed = await fetch(`${g.url}/v1/chat/completions?key=${GATEWAY}`, {
    method: 'POST',
    headers: { ...bearer(GATEWAY), 'content-type': 'application/json' },
    body: `{"model":"${MODELS.common}","api_key":"${GATEWAY}","messages":[`,
  });
  expect(malformed.status).toBe(400);
  const raw = await sendRaw(g.url, `GET /v1/models?key=${GATEWAY} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${GATEWAY}\r\nx-admin-key: ${ADMIN}\r\nbad header\r\n\r\n`);
  expect(raw).toMatch(/^HTTP\/1\.1 400/);
}

/** Every key answers an error that echoes the key it was called with: 500, 429, and 402 (retired). */
async function failedUpstream(g: Harness): Promise<void> {
  g.fake.setKeyBehaviour(K1, { status: 500, errorMessage: `internal error for key ${K1}` });
  g.fake.setKeyBehaviour(K2, { status: 429, errorMessage: `rate limited: Bearer ${K2}` });
  g.fake.setKeyBehaviour(K3, { status: 402, errorMessage: `Insufficient balance on ${K3}` });
  for (let i = 0; i < 3 && !(g.fake.keyLog().get(K3)?.statuses[402]); i++) {
    const res = await call(g, 'POST', '/v1/chat/completions', { headers: bearer(GATEWAY), body: { model: MODELS.common, messages: USER } });
    expect(res.status).toBeGreaterThanOrEqual(400);
  }
  expect(g.fake.keyLog().get(K3)?.statuses[402]).toBeGreaterThan(0);
  for (const k of [K1, K2, K3]) g.fake.setKeyBehaviour(k, undefined);
}

async function adminChanges(g: Harness): Promise<void> {
  const admin = bearer(ADMIN);
  expect((await call(g, 'POST', '/admin/api/keys', { headers: admin, body: { key: K4 } })).status).toBe(201);
  expect((await call(g, 'DELETE', `/admin/api/keys/${fingerprint(K4)}`, { headers: admin })).status).toBe(200);
  expect((await call(g, 'POST', `/admin/api/keys/${fingerprint(K3)}/reinstate`, { headers: { 'x-admin-key': ADMIN } })).status).toBe(200);
}

/**
 * A client key made, used in every place a client can put it (accepted, over its limit,
 * outside its allow-list), rotated, the old one and a one-off one presented, then disabled:
 * returns every client key seen.
 */
async function clientKeys(g: Harness): Promise<Record<string, string>> {
  const admin = bearer(ADMIN);
  const made = await call(g, 'POST', '/admin/api/clients', { headers: admin, body: { name: 'scanned', models: ['kimi-*', 'claude-*', 'gemini-*'], limits: { rpm: 8 } } });
  expect(made.status).toBe(201);
  const { id, key } = JSON.parse(made.text) as { id: string; key: string };
  const body = { model: MODELS.common, messages: USER };
  const accepted = await Promise.all([
    call(g, 'POST', '/v1/chat/completions', { headers: bearer(key), body }),
    call(g, 'POST', '/v1/messages', { headers: { 'x-api-key': key }, body: { model: MODELS.anthropic, max_tokens: 50, stream: true, messages: USER } }),
    call(g, 'POST', `/v1beta/models/${MODELS.google}:generateContent?key=${key}`, { body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] } }),
    call(g, 'POST', `/v1beta/models/${MODELS.google}:generateContent`, { headers: { 'x-goog-api-key': key }, body: { contents: [{ role: 'user', parts: [{ text: 'hi' }] }] } }),
  ]);
  expect(accepted.map((a) => a.status)).toEqual([200, 200, 200, 200]);
  expect((await call(g, 'POST', '/v1/responses', { headers: bearer(key), body: { model: MODELS.openai, input: 'hi' } })).status).toBe(403);
  const limited = await Promise.all(Array.from({ length: 6 }, () => call(g, 'POST', '/v1/chat/completions', { headers: bearer(key), body })));
  expect(limited.map((a) => a.status).filter((s) => s === 429).length).toBeGreaterThan(0);
  const rotated = await call(g, 'POST', `/admin/api/clients/${id}/rotate`, { headers: admin });
  const next = (JSON.parse(rotated.text) as { key: string }).key;
  expect((await call(g, 'POST', '/v1/chat/completions', { headers: bearer(key), body })).status).toBe(401);
  expect((await call(g, 'POST', '/v1/chat/completions', { headers: bearer(oneOff(next)), body })).status).toBe(401);
  expect((await call(g, 'PATCH', `/admin/api/clients/${id}`, { headers: admin, body: { disabled: true } })).status).toBe(200);
  expect((await call(g, 'POST', '/v1/chat/completions', { headers: bearer(next), body })).status).toBe(401);
  return { client: key, rotatedClient: next, wrongClient: oneOff(next) };
}

/** The pages and metrics as the admin sees them (they may be gated by the admin key). */
async function pages(g: Harness): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const path of ['/status', '/status.json', '/metrics', '/admin/api/keys', '/admin/api/clients', '/admin/api/usage?group_by=client,model']) {
    const res = await call(g, 'GET', path, { headers: bearer(ADMIN) });
    expect(res.status, path).toBe(200);
    out[path] = res.text;
  }
  return out;
}

/** Closes the gateway (state written out), checks DATA_DIR is private and returns every file under it. */
async function dataFiles(g: Harness): Promise<Map<string, string>> {
  const dir = g.services.settings.dataDir;
  await g.close();
  h = undefined;
  expect(readableByOthers(dir)).toEqual([]);
  return filesUnder(dir);
}

describe('no secret in the log, the pages, the metrics or DATA_DIR', () => {
  it('with a key pool, a gateway key and an admin key, after every kind of request', async () => {
    const log = new LogCapture();
    const g = await start(log, { FACTORY_API_KEY: [K1, K2, K3].join(';') });
    await acceptedRequests(g);
    await rejectedRequests(g);
    await failedUpstream(g);
    // deprecated_keys.txt is the list of retired keys (droid2api v2): the key column is its
    // content; everything after it (the reason, from the upstream's text) must hold none.
    // Read before the admin reinstates K3, which takes its line out.
    const retiredFile = join(g.services.settings.dataDir, 'deprecated_keys.txt');
    const deprecated = await vi.waitFor(() => {
      const text = readFileSync(retiredFile, 'utf8');
      if (!text.includes(K3)) throw new Error('K3 not listed yet');
      return text;
    });
    expect(deprecated.split('\n').filter(Boolean).map((l) => l.split(' ')[0])).toEqual([K3]);
    const reasons = deprecated.split('\n').map((l) => l.split(' ').slice(1).join(' ')).join('\n');
    await adminChanges(g);
    const clients = await clientKeys(g);
    const seen = await pages(g);
    const files = await dataFiles(g);
    expect(files.get('deprecated_keys.txt') ?? '').not.toContain(K3);
    files.set('deprecated_keys.txt (before the reinstatement, reasons)', reasons);
    const secrets = { K1, K2, K3, K4, GATEWAY, ADMIN, wrongGateway: oneOff(GATEWAY), wrongAdmin: oneOff(ADMIN), ...clients };
    expect(log.lines.length).toBeGreaterThan(10);
    // The request line names the client by its name.
    expect(log.text()).toContain('"client":"scanned"');
    expect(leaks(secrets, { log: log.text(), ...seen, ...Object.fromEntries([...files].map(([f, t]) => [`DATA_DIR/${f}`, t])) })).toEqual([]);
  });

  it('with a refresh token, through a rotation and an upstream that echoes the access token', async () => {
    const log = new LogCapture();
    const clock = new FakeClock(1_800_000_000_000, true);
    workos = await new FakeWorkos([REFRESH], ISSUED).listen();
    const g = await start(log, { FACTORY_API_KEY: '', DROID_REFRESH_KEY: REFRESH, DROID_REFRESH_URL: workos.url }, clock);
    await acceptedRequests(g);
    await rejectedRequests(g);
    const first = `${ISSUED}at-1`;
    clock.time += 60_000;
    g.fake.setKeyBehaviour(first, { status: 401, errorMessage: `token ${first} is not valid` });
    const rotated = await call(g, 'POST', '/v1/chat/completions', { headers: bearer(GATEWAY), body: { model: MODELS.common, messages: USER } });
    expect(rotated.status).toBe(200);
    expect(workos.calls).toHaveLength(2);
    const second = `${ISSUED}at-2`;
    g.fake.setKeyBehaviour(second, { status: 500, errorMessage: `upstream failed for Bearer ${second}` });
    expect((await call(g, 'POST', '/v1/messages', { headers: { 'x-api-key': GATEWAY }, body: { model: MODELS.anthropic, max_tokens: 5, messages: USER } })).status).toBe(500);
    const seen = await pages(g);
    const files = await dataFiles(g);
    // auth.json keeps the rotated tokens (it must, to survive a restart); the configured
    // token was consumed and is not in it, nor is any other configured secret.
    expect(leaks({ REFRESH, GATEWAY, ADMIN }, { 'auth.json': files.get('auth.json') ?? '' })).toEqual([]);
    files.delete('auth.json');
    const secrets = { REFRESH, GATEWAY, ADMIN, firstAccessToken: first, secondAccessToken: second, rotatedRefresh: `${ISSUED}rt-1` };
    expect(leaks(secrets, { log: log.text(), ...seen, ...Object.fromEntries([...files].map(([f, t]) => [`DATA_DIR/${f}`, t])) })).toEqual([]);
  });
});
