import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClientRegistry } from '../../src/clients/registry.js';
import { systemClock } from '../../src/runtime/clock.js';
import { openStore } from '../../src/state/open-store.js';
import { silentLog } from '../support/fakes.js';

/** The compiled gateway as a process: what it prints at start, and when it refuses to. */
const ROOT = join(import.meta.dirname, '..', '..');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the gateway and stops it once `done(stdout)` holds (or lets it exit by itself). */
function run(env: Record<string, string>, done: (stdout: string) => boolean): Promise<Run> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/src/main.js')], {
    cwd: mkdtempSync(join(tmpdir(), 'd2a-start-')),
    env: { PATH: process.env.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'd2a-home-')), STATE_STORE: 'memory', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => {
    stdout += c.toString();
    if (done(stdout)) child.kill('SIGTERM');
  });
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
}, 120_000);

describe('start-up', () => {
  it('logs one summary line with address, credential mode, keys, store, workers, status URL and protection', async () => {
    const { stdout } = await run({ HOST: '127.0.0.1', FACTORY_API_KEY: 'fk-start-one;fk-start-two' }, (out) => out.includes('droid2api started'));
    const line = stdout.split('\n').find((l) => l.includes('droid2api started'));
    const facts = JSON.parse(line!) as Record<string, unknown>;
    expect(facts).toMatchObject({
      credentialMode: 'keys',
      keys: { usable: 2, retired: 0, total: 2 },
      store: 'memory',
      workers: 1,
      apiProtected: false,
      statusProtected: false,
      warnings: 0,
    });
    expect(facts.listen).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(facts.statusUrl).toBe(`${String(facts.listen)}/status`);
    expect(stdout).not.toContain('fk-start-one');
  });

  it('counts the API as protected once client keys exist in the store', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'd2a-start-clients-'));
    const store = await openStore({ kind: 'sqlite', dataDir, log: silentLog });
    const registry = new ClientRegistry(store, systemClock, silentLog);
    await registry.load();
    await registry.create({ name: 'alice' });
    await store.close();
    const env = { HOST: '127.0.0.1', FACTORY_API_KEY: 'fk-start-one', ADMIN_KEY: 'admin-start-key', STATE_STORE: 'sqlite', DATA_DIR: dataDir };
    const { stdout } = await run(env, (out) => out.includes('droid2api started'));
    const facts = JSON.parse(stdout.split('\n').find((l) => l.includes('droid2api started'))!) as Record<string, unknown>;
    expect(facts).toMatchObject({ apiProtected: true, statusProtected: true });
  });

  it('refuses an exposed start without GATEWAY_API_KEY under REQUIRE_GATEWAY_KEY=true, with the fix in one line', async () => {
    // Refused before listening: nothing is bound to the wildcard address.
    const { code, stderr, stdout } = await run({ HOST: '0.0.0.0', FACTORY_API_KEY: 'fk-start-one', REQUIRE_GATEWAY_KEY: 'true' }, () => false);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/refusing to start: .*GATEWAY_API_KEY.*fix: set GATEWAY_API_KEY/);
    expect(stdout).not.toContain('Server listening');
  });

  it('refuses to start on an invalid keywords-filter.json, naming the rule in one line', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'd2a-kf-')), 'filter.json');
    writeFileSync(file, JSON.stringify({ enabled: true, rules: [{ id: 'broken-regex', pattern: { type: 'regex', value: '[' }, action: { type: 'replace' } }] }));
    const { code, stderr } = await run({ HOST: '127.0.0.1', FACTORY_API_KEY: 'fk-start-one', KEYWORDS_FILTER_FILE: file }, () => false);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/invalid keyword filter: .*rule 0 "broken-regex": pattern\.value/);
  });
});
