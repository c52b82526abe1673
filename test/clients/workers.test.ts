/**
 * WORKERS=2 for real (the compiled gateway): a client made through one worker is known to
 * the other at once, its limits are counted at the primary so both workers together stop
 * exactly at the limit, and the usage report adds up what both served.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFactory, type FakeFactory } from '../fake-factory/index.js';
import { buildGateway, ROOT } from '../support/gateway-process.js';
import { ADMIN_KEY, admin, createClient } from './support.js';
import { listeningPort } from '../support/listening-port.js';

const USAGE = { input: 10, output: 5, cached: 0 };
let fake: FakeFactory;
let gateway: ChildProcess;
const h = { url: '' };

const dataDir = mkdtempSync(join(tmpdir(), 'd2a-clients-workers-'));
const home = mkdtempSync(join(tmpdir(), 'd2a-home-'));

async function start(): Promise<void> {
  gateway = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, WORKERS: '2', PORT: '0', HOST: '127.0.0.1', FACTORY_BASE_URL: fake.url, FACTORY_API_KEY: 'w-good-1111111111', ADMIN_KEY, DATA_DIR: dataDir, HOME: home, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  h.url = `http://127.0.0.1:${await listeningPort(gateway, 60_000)}`;
}

async function stop(): Promise<void> {
  if (gateway?.exitCode !== null) return;
  const exited = new Promise((r) => gateway.once('exit', r));
  gateway.kill('SIGTERM');
  await exited;
}

beforeAll(async () => {
  buildGateway();
  fake = await startFakeFactory({ host: '127.0.0.1', port: 0 });
  fake.setScenario({ text: 'ok', usage: USAGE });
  await start();
}, 180_000);

afterAll(async () => {
  await stop();
  await fake?.close();
});

async function post(key: string): Promise<number> {
  const res = await fetch(`${h.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'kimi-k2.5', messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.text();
  return res.status;
}

describe('WORKERS=2', () => {
  it('limits hold for both workers together; usage adds up', async () => {
    const rpm = await createClient(h, { name: 'workers-rpm', limits: { rpm: 9 } });
    // Every connection may land on either worker: both must know the key.
    await expect.poll(async () => (await Promise.all(Array.from({ length: 6 }, () => admin(h, 'GET', `/clients/${rpm.id}`)))).every((r) => r.status === 200), { timeout: 5_000 }).toBe(true);
    const statuses = await Promise.all(Array.from({ length: 50 }, () => post(rpm.key)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(9);
    expect(statuses.filter((s) => s === 429)).toHaveLength(41);

    const conc = await createClient(h, { name: 'workers-conc', limits: { concurrency: 3 } });
    await expect.poll(async () => (await Promise.all(Array.from({ length: 6 }, () => admin(h, 'GET', `/clients/${conc.id}`)))).every((r) => r.status === 200), { timeout: 5_000 }).toBe(true);
    fake.setScenario({ text: 'ok', usage: USAGE, delayMs: 1_500 });
    const held = await Promise.all(Array.from({ length: 50 }, () => post(conc.key)));
    expect(held.filter((s) => s === 200)).toHaveLength(3);
    fake.setScenario({ text: 'ok', usage: USAGE });

    // The worker answering the report has the other one write its history first: no wait.
    const report = await admin(h, 'GET', '/usage?group_by=client');
    expect((report.json.rows as Array<{ client: string; requests: number; tokens_total: number }>).map((r) => [r.client, r.requests, r.tokens_total])).toEqual([
        ['workers-conc', 3, 3 * (USAGE.input + USAGE.output)],
      ['workers-rpm', 9, 9 * (USAGE.input + USAGE.output)],
    ]);
  }, 60_000);

  it('disable and rotate reach both workers before the next request', async () => {
    const c = await createClient(h, { name: 'workers-switch' });
    await expect.poll(async () => (await Promise.all(Array.from({ length: 6 }, () => post(c.key)))).every((s) => s === 200), { timeout: 5_000 }).toBe(true);
    const rotated = await admin(h, 'POST', `/clients/${c.id}/rotate`);
    expect(rotated.status).toBe(200);
    const old = await Promise.all(Array.from({ length: 6 }, () => post(c.key)));
    expect(old).toEqual([401, 401, 401, 401, 401, 401]);
  }, 30_000);

  it('a restart keeps the day limit: the primary reads the workers\' history back', async () => {
    const c = await createClient(h, { name: 'workers-day', limits: { tokens_per_day: 3 * (USAGE.input + USAGE.output) } });
    await expect.poll(async () => (await Promise.all(Array.from({ length: 4 }, () => admin(h, 'GET', `/clients/${c.id}`)))).every((r) => r.status === 200), { timeout: 5_000 }).toBe(true);
    for (let i = 0; i < 2; i++) expect(await post(c.key)).toBe(200);
    await stop();
    await start();
    expect(await post(c.key)).toBe(200);
    expect(await post(c.key)).toBe(429);
  }, 60_000);
});
