/**
 * Client limits at the API, with the official SDKs: each one hit exactly at its value
 * under 50 concurrent requests, the 429 (with Retry-After, naming the limit and its value)
 * in the OpenAI, Anthropic and Gemini shapes; a request that started under a token limit
 * finishes; usage per client and model equals what the fake upstream reported.
 */
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';
import { ADMIN_KEY, admin, createClient } from './support.js';

const USAGE = { input: 10, output: 5, cached: 2 };
const PER_REQUEST = USAGE.input + USAGE.output;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { ADMIN_KEY } });
});
afterAll(async () => h.close());
beforeEach(() => {
  h.fake.setScenario({ text: 'ok', usage: USAGE });
});

const openai = (key: string) => new OpenAI({ baseURL: `${h.url}/v1`, apiKey: key, maxRetries: 0 });
const anthropic = (key: string) => new Anthropic({ baseURL: h.url, apiKey: key, maxRetries: 0 });
const gemini = (key: string) => new GoogleGenAI({ apiKey: key, httpOptions: { baseUrl: h.url } });

async function post(key: string, model: string = MODEL_OF_TYPE.common, stream = false): Promise<Response> {
  const res = await fetch(`${h.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, stream, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.text();
  return res;
}

async function burst(key: string, n = 50): Promise<Response[]> {
  return Promise.all(Array.from({ length: n }, () => post(key)));
}

const statuses = (rs: Response[]) => rs.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});

describe('limits under 50 concurrent requests', () => {
  it('rpm: exactly rpm requests pass, the rest 429 with Retry-After ≤ 60 naming the limit', async () => {
    const { key } = await createClient(h, { name: 'rpm-7', limits: { rpm: 7 } });
    const rs = await burst(key);
    expect(statuses(rs)).toEqual({ 200: 7, 429: 43 });
    const refused = rs.find((r) => r.status === 429)!;
    const wait = Number(refused.headers.get('retry-after'));
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    const again = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: MODEL_OF_TYPE.common, messages: [{ role: 'user', content: 'hi' }] }) });
    expect(again.status).toBe(429);
    const body = (await again.json()) as { error: { message: string; type: string } };
    expect(body.error.message).toContain('rpm = 7');
  });

  it('concurrency: never more in flight than the cap, the slot comes back when a request ends', async () => {
    const { key, id } = await createClient(h, { name: 'conc-3', limits: { concurrency: 3 } });
    h.fake.setScenario({ text: 'ok', usage: USAGE, delayMs: 1_500 });
    let maxSeen = 0;
    let sampling = true;
    // Back to back: each reading is one admin request, which paces the loop.
    const sampler = (async () => {
      while (sampling) {
        const c = (await admin(h, 'GET', `/clients/${id}`)).json as { in_flight: number };
        maxSeen = Math.max(maxSeen, c.in_flight);
      }
    })();
    const rs = await burst(key);
    sampling = false;
    await sampler;
    expect(statuses(rs)).toEqual({ 200: 3, 429: 47 });
    expect(maxSeen).toBeGreaterThan(0);
    expect(maxSeen).toBeLessThanOrEqual(3);
    expect((await admin(h, 'GET', `/clients/${id}`)).json.in_flight).toBe(0);
    h.fake.setScenario({ text: 'ok', usage: USAGE });
    expect((await post(key)).status).toBe(200);
    // Streams hold their slot until they end.
    const streams = await Promise.all(Array.from({ length: 10 }, () => post(key, MODEL_OF_TYPE.common, true)));
    expect(statuses(streams)[200]).toBeGreaterThanOrEqual(3);
  });

  it('tokens_per_day: requests pass while the day is under the limit, then all 50 are refused until the next UTC day', async () => {
    const { key } = await createClient(h, { name: 'tpd', limits: { tokens_per_day: PER_REQUEST * 3 } });
    for (let i = 0; i < 3; i++) expect((await post(key)).status).toBe(200);
    const rs = await burst(key);
    expect(statuses(rs)).toEqual({ 429: 50 });
    const now = Date.now();
    const midnight = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate() + 1);
    const wait = Number(rs[0]!.headers.get('retry-after'));
    expect(Math.abs(wait - (midnight - now) / 1000)).toBeLessThan(5);
  });

  it('tokens_per_month and tpm refuse once reached', async () => {
    const month = await createClient(h, { name: 'tpmo', limits: { tokens_per_month: PER_REQUEST * 2 } });
    expect((await post(month.key)).status).toBe(200);
    expect((await post(month.key)).status).toBe(200);
    const r = await fetch(`${h.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${month.key}`, 'content-type': 'application/json' }, body: JSON.stringify({ model: MODEL_OF_TYPE.common, messages: [{ role: 'user', content: 'hi' }] }) });
    expect(r.status).toBe(429);
    expect(((await r.json()) as { error: { message: string } }).error.message).toContain(`tokens_per_month = ${PER_REQUEST * 2}`);
    const tpm = await createClient(h, { name: 'tpm', limits: { tpm: PER_REQUEST } });
    expect((await post(tpm.key)).status).toBe(200);
    const refused = await post(tpm.key);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
  });

  it('a request that started under a token limit finishes', async () => {
    const { key, id } = await createClient(h, { name: 'finish', limits: { tokens_per_day: PER_REQUEST } });
    h.fake.setScenario({ text: 'slow', usage: USAGE, delayMs: 400 });
    const slow = post(key, MODEL_OF_TYPE.common, true);
    // Admitted (in flight) before the next request is sent.
    await expect.poll(async () => ((await admin(h, 'GET', `/clients/${id}`)).json as { in_flight: number }).in_flight).toBe(1);
    h.fake.setScenario({ text: 'ok', usage: USAGE });
    expect((await post(key)).status).toBe(200);
    expect((await slow).status).toBe(200);
    expect((await post(key)).status).toBe(429);
  });
});

describe('the 429 in each dialect', () => {
  it('OpenAI, Anthropic and Gemini SDKs get their own rate-limit error with Retry-After', async () => {
    const { key } = await createClient(h, { name: 'dialects', limits: { rpm: 1 } });
    expect((await post(key)).status).toBe(200);

    const o = (await openai(key).chat.completions.create({ model: MODEL_OF_TYPE.anthropic, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.RateLimitError>;
    expect(o).toBeInstanceOf(OpenAI.RateLimitError);
    expect(Number(o.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(o.error).toMatchObject({ type: expect.any(String), code: 'client_rpm_exceeded' });
    expect(o.message).toContain('rpm = 1');

    const a = (await anthropic(key).messages.create({ model: MODEL_OF_TYPE.anthropic, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e)) as InstanceType<typeof Anthropic.RateLimitError>;
    expect(a).toBeInstanceOf(Anthropic.RateLimitError);
    expect(a.error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
    expect(Number(a.headers?.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(a.message).toContain('rpm = 1');

    const res = await fetch(`${h.url}/v1beta/models/${MODEL_OF_TYPE.google}:generateContent`, { method: 'POST', headers: { 'x-goog-api-key': key, 'content-type': 'application/json' }, body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }) });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await res.json()).toMatchObject({ error: { code: 429, status: 'RESOURCE_EXHAUSTED', message: expect.stringContaining('rpm = 1') } });
    const g = (await gemini(key).models.generateContent({ model: MODEL_OF_TYPE.google, contents: 'hi' }).catch((e: unknown) => e)) as { status?: number; message: string };
    expect(g.status).toBe(429);
    expect(g.message).toContain('RESOURCE_EXHAUSTED');
  });
});

describe('usage', () => {
  it('per client and model equals what the upstream reported, as JSON and CSV; metrics name the client, never the key', async () => {
    const ann = await createClient(h, { name: 'usage-ann' });
    const ben = await createClient(h, { name: 'usage-ben' });
    const plan: Array<[typeof ann, string, number, boolean]> = [
      [ann, MODEL_OF_TYPE.common, 3, false],
      [ann, MODEL_OF_TYPE.anthropic, 2, true],
      [ben, MODEL_OF_TYPE.openai, 4, true],
    ];
    h.fake.requests.length = 0;
    for (const [c, model, n, stream] of plan) for (let i = 0; i < n; i++) expect((await post(c.key, model, stream)).status).toBe(200);
    // A refused request spends nothing and is not usage.
    expect((await post(`dk-${'Z'.repeat(40)}`)).status).toBe(401);
    expect(h.fake.requests).toHaveLength(9);

    // A request is accounted when its reply closes, which may be just after the client read it.
    const usageRows = async () => {
      const report = await admin(h, 'GET', '/usage?group_by=client,model');
      expect(report.status).toBe(200);
      return (report.json.rows as Array<Record<string, unknown>>).filter((r) => String(r.client).startsWith('usage-'));
    };
    await expect.poll(usageRows).toEqual([
      { client: 'usage-ann', client_id: ann.id, model: MODEL_OF_TYPE.anthropic, requests: 2, errors: 0, tokens_in: 2 * USAGE.input, tokens_out: 2 * USAGE.output, tokens_cached: 2 * USAGE.cached, tokens_total: 2 * PER_REQUEST },
      { client: 'usage-ann', client_id: ann.id, model: MODEL_OF_TYPE.common, requests: 3, errors: 0, tokens_in: 3 * USAGE.input, tokens_out: 3 * USAGE.output, tokens_cached: 3 * USAGE.cached, tokens_total: 3 * PER_REQUEST },
      { client: 'usage-ben', client_id: ben.id, model: MODEL_OF_TYPE.openai, requests: 4, errors: 0, tokens_in: 4 * USAGE.input, tokens_out: 4 * USAGE.output, tokens_cached: 4 * USAGE.cached, tokens_total: 4 * PER_REQUEST },
    ]);

    const csv = await admin(h, 'GET', '/usage?group_by=client', undefined, { accept: 'text/csv' });
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('client,client_id,requests,errors,tokens_in,tokens_out,tokens_cached,tokens_total');
    expect(lines).toContain(`usage-ben,${ben.id},4,0,40,20,8,60`);

    const byDay = await admin(h, 'GET', `/usage?group_by=day&from=${new Date(Date.now() - 86_400_000).toISOString()}`);
    expect(byDay.json.rows.at(-1)).toMatchObject({ day: new Date().toISOString().slice(0, 10) });
    expect((await admin(h, 'GET', '/usage?group_by=week')).status).toBe(400);
    expect((await admin(h, 'GET', '/usage?from=yesterday')).status).toBe(400);

    const metrics = await (await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).text();
    expect(metrics).toContain(`droid2api_client_requests_total{client="usage-ben",model="${MODEL_OF_TYPE.openai}",status="200"} 4`);
    expect(metrics).toContain(`droid2api_client_tokens_total{client="usage-ben",model="${MODEL_OF_TYPE.openai}",kind="output"} 20`);
    expect(metrics).not.toContain(ben.key);
    expect(metrics).not.toContain(ann.key);
  });

  it('/status.json lists the clients for the admin with their limits and usage', async () => {
    const c = await createClient(h, { name: 'status-client', models: ['claude-*'], limits: { rpm: 50, tokens_per_day: 1000 } });
    expect((await post(c.key, MODEL_OF_TYPE.anthropic)).status).toBe(200);
    const statusDoc = async () => (await (await fetch(`${h.url}/status.json`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as { clients: Array<Record<string, unknown>> };
    // Accounted when the reply closes, which may be just after the client read it.
    await expect.poll(async () => (await statusDoc()).clients.find((x) => x.id === c.id)?.in_flight).toBe(0);
    const doc = await statusDoc();
    const mine = doc.clients.find((x) => x.id === c.id)!;
    expect(mine).toEqual({
      id: c.id,
      name: 'status-client',
      disabled: false,
      expires_at: null,
      models: ['claude-*'],
      limits: { rpm: 50, tokens_per_day: 1000 },
      usage: { minute: { requests: 1, tokens: PER_REQUEST }, today: { requests: 1, tokens: PER_REQUEST }, month: { requests: 1, tokens: PER_REQUEST } },
      in_flight: 0,
      last_used_at: expect.any(Number),
    });
    expect(JSON.stringify(doc)).not.toContain(c.key);
  });
});
