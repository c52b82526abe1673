import { execFileSync, spawn } from 'node:child_process';
import { get } from 'node:http';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFactory } from '../fake-factory/index.js';
import { startHarness } from '../support/harness.js';
import { HAVE_REDIS, startRedis, type RedisServer } from '../support/redis.js';

const ROOT = join(import.meta.dirname, '..', '..');
const wrong = (url: string, i: number) => fetch(`${url}/v1/models`, { headers: { authorization: `Bearer wrong-${i}` } });

describe.skipIf(!HAVE_REDIS)('wrong-key limit across replicas (STATE_STORE=redis)', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => redis?.stop());

  it('failures counted by one replica limit the address on another', async () => {
    const env = { GATEWAY_API_KEY: 'gw-shared', AUTH_FAILURES_PER_MINUTE: '3', STATE_STORE: 'redis', REDIS_URL: redis.url, REDIS_PREFIX: `t:${randomUUID()}:` };
    const a = await startHarness({ env });
    const b = await startHarness({ env });
    try {
      for (let i = 0; i < 3; i++) expect((await wrong(a.url, i)).status).toBe(401);
      const limited = await wrong(b.url, 3);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('wrong-key limit across WORKERS', () => {
  it('failures spread over two workers are counted once, in the primary', async () => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
    const fake = await startFakeFactory({ host: '127.0.0.1', port: 0 });
    const gateway = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH, WORKERS: '2', PORT: '0', HOST: '127.0.0.1', FACTORY_BASE_URL: fake.url, FACTORY_API_KEY: 'w-key-1111111111',
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
      const once = (i: number) => new Promise<number>((resolve, reject) => {
        get(`${url}/v1/models`, { agent: false, headers: { authorization: `Bearer wrong-${i}` } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
      for (let i = 0; i < 6; i++) statuses.push(await once(i));
      // Four failures allowed in all, not four per worker.
      expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    } finally {
      const exited = new Promise((r) => gateway.once('exit', r));
      gateway.kill('SIGTERM');
      await exited;
      await fake.close();
    }
  }, 240_000);
});
