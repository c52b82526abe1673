/**
 * WORKERS=2 for real (the compiled gateway, SQLite state): /status.json counts both workers
 * and shows the same last error whichever worker answers, and a worker's /metrics reports
 * the store write lag of the primary, which writes for it.
 */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SQLITE_FILE_NAME } from '../../src/state/open-store.js';
import type { TrafficSummary } from '../../src/history/summary.js';
import type { ConfigurationSection } from '../../src/web/status-wire.js';
import { startFakeFactory, type FakeFactory } from '../fake-factory/index.js';
import { buildGateway, killGateway, startGateway, type RunningGateway } from '../support/gateway-process.js';
import { freshGet } from '../support/fresh-get.js';
import { MODEL_OF_TYPE } from '../support/harness.js';
import { parseMetrics } from '../support/metrics-text.js';

const dataDir = mkdtempSync(join(tmpdir(), 'd2a-workers-status-'));
let fake: FakeFactory;
let gateway: RunningGateway;

interface StatusJson {
  configuration: ConfigurationSection;
  models: TrafficSummary[];
}

/** /status.json from each worker in turn (a new connection each). */
async function statusFromEachWorker(): Promise<StatusJson[]> {
  const answers: StatusJson[] = [];
  for (let i = 0; i < 4; i++) answers.push(JSON.parse((await freshGet(`${gateway.url}/status.json?range=1h`)).text) as StatusJson);
  return answers;
}

async function writeLagSeconds(): Promise<number> {
  const samples = parseMetrics((await freshGet(`${gateway.url}/metrics`)).text);
  return samples.get('droid2api_store_write_lag_seconds') ?? Number.NaN;
}

function ask(body: unknown): Promise<number> {
  return fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (res) => {
    await res.arrayBuffer();
    return res.status;
  });
}

beforeAll(async () => {
  buildGateway();
  fake = await startFakeFactory({ host: '127.0.0.1', port: 0 });
  gateway = await startGateway({ WORKERS: '2', FACTORY_BASE_URL: fake.url, FACTORY_API_KEY: 'w-status-key-1111111111', DATA_DIR: dataDir, HOME: dataDir });
}, 180_000);

afterAll(async () => {
  await killGateway(gateway);
  await fake?.close();
});

describe('WORKERS=2 on /status.json and /metrics', () => {
  it('counts both workers, whichever of them answers', async () => {
    await expect.poll(async () => (await statusFromEachWorker()).map((s) => s.configuration.processes?.length), { timeout: 15_000 }).toEqual([2, 2, 2, 2]);
    const [first] = await statusFromEachWorker();
    const pids = first!.configuration.processes!.map((p) => p.pid);
    expect(new Set(pids).size).toBe(2);
    expect(pids).not.toContain(gateway.child.pid);
    expect(first!.configuration.workers).toBe('2');
  }, 30_000);

  it('shows the last error one worker answered on every worker', async () => {
    expect(await ask({ model: MODEL_OF_TYPE.openai, messages: [] })).toBe(400);
    const lastErrors = async () => (await statusFromEachWorker()).map((s) => s.models.find((m) => m.name === MODEL_OF_TYPE.openai)?.lastError?.status);
    // Written with the history's batch, every few seconds.
    await expect.poll(lastErrors, { timeout: 20_000, interval: 500 }).toEqual([400, 400, 400, 400]);
    const ats = new Set((await statusFromEachWorker()).map((s) => s.models.find((m) => m.name === MODEL_OF_TYPE.openai)?.lastError?.at));
    expect(ats.size).toBe(1);
  }, 30_000);

  it("reports the primary's write lag, which grows while the state file is locked and falls once it is free", async () => {
    const lock = new Database(join(dataDir, SQLITE_FILE_NAME));
    try {
      lock.exec('BEGIN EXCLUSIVE');
      // An answer queues its key's record at the primary, which cannot commit it now.
      expect(await ask({ model: MODEL_OF_TYPE.anthropic, messages: [{ role: 'user', content: 'hi' }] })).toBe(200);
      await expect.poll(writeLagSeconds, { timeout: 20_000, interval: 500 }).toBeGreaterThanOrEqual(2);
    } finally {
      if (lock.inTransaction) lock.exec('COMMIT');
      lock.close();
    }
    await expect.poll(async () => Math.max(await writeLagSeconds(), await writeLagSeconds()), { timeout: 20_000, interval: 500 }).toBeLessThan(1.5);
  }, 60_000);
});
