import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFactory, type FakeFactory } from '../fake-factory/index.js';
import { buildGateway } from '../support/gateway-process.js';
import { listeningPort } from '../support/listening-port.js';
import { freshGet } from '../support/fresh-get.js';

/** WORKERS=2 for real: the compiled gateway as a process tree, sharing one port and the key state. */

const ROOT = join(import.meta.dirname, '..', '..');
let fake: FakeFactory;
let gateway: ChildProcess;
let url: string;

beforeAll(async () => {
  buildGateway();
  fake = await startFakeFactory({ host: '127.0.0.1', port: 0 });
  fake.setKeyBehaviour('w-dead-402-aaaaaaa', { status: 402 });
  fake.setScenario({ text: 'from a worker' });
  gateway = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH,
      WORKERS: '2',
      PORT: '0',
      HOST: '127.0.0.1',
      FACTORY_BASE_URL: fake.url,
      FACTORY_API_KEY: 'w-good-1111111111;w-dead-402-aaaaaaa;w-good-2222222222',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'd2a-workers-')),
      HOME: mkdtempSync(join(tmpdir(), 'd2a-home-')),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  url = `http://127.0.0.1:${await listeningPort(gateway, 30_000)}`;
}, 180_000);

afterAll(async () => {
  if (gateway.exitCode === null) {
    const exited = new Promise((r) => gateway.once('exit', r));
    gateway.kill('SIGTERM');
    await exited;
  }
  await fake.close();
});

describe('WORKERS=2', () => {
  it('serves through both workers and no worker keeps using a key another one retired', async () => {
    const ask = () =>
      fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'hi' }] }),
      });
    for (let i = 0; i < 40; i++) {
      const res = await ask();
      expect(res.status).toBe(200);
      expect(((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content).toBe('from a worker');
    }
    // At most one attempt per worker before the retirement reached every worker.
    expect(fake.keyLog().get('w-dead-402-aaaaaaa')?.count ?? 0).toBeLessThanOrEqual(2);
    const before = fake.keyLog().get('w-dead-402-aaaaaaa')?.count ?? 0;
    await Promise.all(Array.from({ length: 30 }, () => ask().then((r) => r.arrayBuffer())));
    expect(fake.keyLog().get('w-dead-402-aaaaaaa')?.count ?? 0).toBe(before);
    const status = (await (await fetch(`${url}/status.json`)).json()) as { keys: Array<{ masked: string; status: string }> };
    expect(status.keys.find((k) => k.masked.startsWith('w-dead'))?.status).toBe('retired');
  });
});

// The same build: a second WORKERS=2 gateway, with a gateway key and a low wrong-key limit.
describe('wrong-key limit across WORKERS', () => {
  it('failures spread over two workers are counted once, in the primary', async () => {
    const limitFake = await startFakeFactory({ host: '127.0.0.1', port: 0 });
    const gateway = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH, WORKERS: '2', PORT: '0', HOST: '127.0.0.1', FACTORY_BASE_URL: limitFake.url, FACTORY_API_KEY: 'w-key-1111111111',
        GATEWAY_API_KEY: 'gw-workers', AUTH_FAILURES_PER_MINUTE: '4', STATE_STORE: 'memory',
        DATA_DIR: mkdtempSync(join(tmpdir(), 'd2a-lim-')), HOME: mkdtempSync(join(tmpdir(), 'd2a-home-')), LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    try {
      const port = await new Promise<number>((resolve) => {
        let out = '';
        gateway.stdout!.on('data', (c: Buffer) => {
          out += c.toString('utf8');
          const m = /Server listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
          if (m) resolve(Number(m[1]));
        });
      });
      const url = `http://127.0.0.1:${port}`;
      // Fresh connections: Node's primary hands them to the workers in turn.
      const statuses: number[] = [];
      const once = async (i: number) => (await freshGet(`${url}/v1/models`, { authorization: `Bearer wrong-${i}` })).status;
      for (let i = 0; i < 6; i++) statuses.push(await once(i));
      // Four failures allowed in all, not four per worker.
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    } finally {
      const exited = new Promise((r) => gateway.once('exit', r));
      gateway.kill('SIGTERM');
      await exited;
      await limitFake.close();
    }
  }, 60_000);
});
