/**
 * A retirement survives a crash: the gateway is killed with SIGKILL right after it answered
 * the request that retired a key (no flush, no shutdown), and after a restart the key is
 * still retired and never spent again.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFactory, type FakeFactory } from '../fake-factory/index.js';
import { buildGateway, killGateway, startGateway, type RunningGateway } from '../support/gateway-process.js';

const DEAD = 'k-dead-402-aaaaaaaaaa';
const GOOD = 'k-good-bbbbbbbbbbbbbb';
let fake: FakeFactory;
let running: RunningGateway | undefined;

beforeAll(async () => {
  buildGateway();
  fake = await startFakeFactory({ host: '127.0.0.1', port: 0 });
  fake.setKeyBehaviour(DEAD, { status: 402, errorMessage: 'Insufficient credits' });
}, 180_000);

afterAll(async () => {
  await killGateway(running);
  await fake.close();
});

function env(dataDir: string): Record<string, string> {
  // The dead key first and a draw of 0 would pick it; simple rotation starts with it too.
  return { FACTORY_BASE_URL: fake.url, FACTORY_API_KEY: `${DEAD};${GOOD}`, DATA_DIR: dataDir, HOME: dataDir, STATE_STORE: 'sqlite' };
}

async function ask(url: string): Promise<number> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }] }),
  });
  await res.arrayBuffer();
  return res.status;
}

async function deadKeyStatus(url: string): Promise<string | undefined> {
  const status = (await (await fetch(`${url}/status.json`)).json()) as { keys: Array<{ masked: string; status: string }> };
  return status.keys.find((k) => k.masked.startsWith('k-dead'))?.status;
}

describe('key state through a crash', () => {
  it('keeps a key retired after SIGKILL right after the 402 was answered, and lists it once in deprecated_keys.txt', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'd2a-durable-'));
    try {
      running = await startGateway(env(dataDir));
      // Until the dead key is tried, each request may land on either key.
      const first = running;
      for (let i = 0; i < 20 && (fake.keyLog().get(DEAD)?.count ?? 0) === 0; i++) expect(await ask(first.url)).toBe(200);
      expect(fake.keyLog().get(DEAD)?.count).toBe(1);
      running.child.kill('SIGKILL');
      await running.exited;

      running = await startGateway(env(dataDir));
      const { url } = running;
      expect(await deadKeyStatus(url)).toBe('retired');
      for (let i = 0; i < 5; i++) expect(await ask(url)).toBe(200);
      expect(fake.keyLog().get(DEAD)?.count).toBe(1);
      const lines = readFileSync(join(dataDir, 'deprecated_keys.txt'), 'utf8').split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^k-dead-402-aaaaaaaaaa # Deprecated at \S+ \(HTTP 402/);
      running.child.kill('SIGKILL');
      await running.exited;

      // The store lost (deleted): deprecated_keys.txt alone keeps the key retired.
      for (const f of ['droid2api.sqlite', 'droid2api.sqlite-wal', 'droid2api.sqlite-shm']) rmSync(join(dataDir, f), { force: true });
      running = await startGateway(env(dataDir));
      const third = running.url;
      expect(await deadKeyStatus(third)).toBe('retired');
      for (let i = 0; i < 5; i++) expect(await ask(third)).toBe(200);
      expect(fake.keyLog().get(DEAD)?.count).toBe(1);
    } finally {
      await killGateway(running);
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
