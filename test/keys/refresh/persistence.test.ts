import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RefreshTokenSource } from '../../../src/keys/refresh/refresh-source.js';
import { sha256 } from '../../../src/keys/refresh/token-files.js';
import { captureLog, FakeClock, FakeWorkos, tempDir } from './helpers.js';

const cleanups: Array<() => Promise<void>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

interface World {
  workos: FakeWorkos;
  dataDir: string;
  homeDir: string;
  clock: FakeClock;
  open(env: NodeJS.ProcessEnv): RefreshTokenSource | undefined;
}

async function world(validTokens: string[]): Promise<World> {
  const workos = await new FakeWorkos(validTokens).listen();
  const root = await tempDir('d2a-refresh-persist-');
  const clock = new FakeClock();
  cleanups.push(() => workos.close(), root.remove);
  const dataDir = join(root.path, 'data');
  const homeDir = join(root.path, 'home');
  return {
    workos,
    dataDir,
    homeDir,
    clock,
    open(env) {
      const source = RefreshTokenSource.fromEnvironment(
        { DROID_REFRESH_URL: workos.url, ...env },
        { dataDir, homeDir, clock, log: captureLog().log },
      );
      if (source) cleanups.push(() => source.close());
      return source;
    },
  };
}

async function mode(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

async function readJson(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8'));
}

describe('refresh token persistence', () => {
  it('saves the rotated token to <dataDir>/auth.json with mode 0600 in a 0700 directory', async () => {
    const w = await world(['rt-0']);
    await w.open({ DROID_REFRESH_KEY: 'rt-0' })!.start();
    const path = join(w.dataDir, 'auth.json');
    expect(await readJson(path)).toEqual({
      refresh_token: 'rt-1',
      access_token: 'at-1',
      obtained_at: new Date(w.clock.now()).toISOString(),
      origin_sha256: sha256('rt-0'),
    });
    expect(await mode(path)).toBe(0o600);
    expect(await mode(w.dataDir)).toBe(0o700);
  });

  it('prefers the saved rotated token over an unchanged DROID_REFRESH_KEY at the next start', async () => {
    const w = await world(['rt-0']);
    const first = w.open({ DROID_REFRESH_KEY: 'rt-0' })!;
    await first.start();
    await first.close();
    const second = w.open({ DROID_REFRESH_KEY: 'rt-0' })!;
    // The saved access token is still young: usable before the start-up refresh.
    expect((await second.acquire({})).authorization).toBe('Bearer at-1');
    await second.start();
    expect(w.workos.calls.map((c) => c.form.refresh_token)).toEqual(['rt-0', 'rt-1']);
    expect(second.stats()).toMatchObject({ refreshes: 1, failures: 0 });
    expect((await second.acquire({})).authorization).toBe('Bearer at-2');
  });

  it('uses a changed DROID_REFRESH_KEY instead of the saved token', async () => {
    const w = await world(['rt-0', 'rt-new']);
    await w.open({ DROID_REFRESH_KEY: 'rt-0' })!.start();
    const source = w.open({ DROID_REFRESH_KEY: 'rt-new' })!;
    await source.start();
    expect(w.workos.calls.map((c) => c.form.refresh_token)).toEqual(['rt-0', 'rt-new']);
    expect(await readJson(join(w.dataDir, 'auth.json'))).toMatchObject({ refresh_token: 'rt-2', origin_sha256: sha256('rt-new') });
  });

  it('reads ~/.factory/auth.json and rewrites it keeping its other fields', async () => {
    const w = await world(['rt-0']);
    const path = join(w.homeDir, '.factory', 'auth.json');
    await mkdir(join(w.homeDir, '.factory'), { recursive: true });
    await writeFile(path, JSON.stringify({ access_token: 'old', refresh_token: 'rt-0', user_id: 'u1', settings: { a: 1 } }), { mode: 0o644 });
    const source = w.open({})!;
    expect(source.describe()).toBe('credential source: ~/.factory/auth.json (refresh token)');
    await source.start();
    expect(await readJson(path)).toEqual({ access_token: 'at-1', refresh_token: 'rt-1', user_id: 'u1', settings: { a: 1 } });
    expect(await mode(path)).toBe(0o600);
    await expect(stat(join(w.dataDir, 'auth.json'))).rejects.toThrow();
  });

  it('adopts a refresh token the Droid CLI wrote to ~/.factory/auth.json meanwhile', async () => {
    const w = await world(['rt-0', 'rt-cli']);
    const path = join(w.homeDir, '.factory', 'auth.json');
    await mkdir(join(w.homeDir, '.factory'), { recursive: true });
    await writeFile(path, JSON.stringify({ refresh_token: 'rt-0' }));
    const source = w.open({})!;
    await source.start();
    await writeFile(path, JSON.stringify({ access_token: 'cli', refresh_token: 'rt-cli' }));
    w.clock.advance(60_000);
    (await source.acquire({})).report({ status: 401 });
    expect((await source.acquire({})).authorization).toBe('Bearer at-2');
    expect(w.workos.calls.map((c) => c.form.refresh_token)).toEqual(['rt-0', 'rt-cli']);
  });

  it('prefers DROID_REFRESH_KEY over ~/.factory/auth.json', async () => {
    const w = await world([]);
    await mkdir(join(w.homeDir, '.factory'), { recursive: true });
    await writeFile(join(w.homeDir, '.factory', 'auth.json'), JSON.stringify({ refresh_token: 'rt-file' }));
    expect(w.open({ DROID_REFRESH_KEY: ' rt-env ' })!.describe()).toContain('DROID_REFRESH_KEY');
  });

  it('returns no source when neither DROID_REFRESH_KEY nor a refresh token in ~/.factory/auth.json exists', async () => {
    const w = await world([]);
    expect(w.open({})).toBeUndefined();
    expect(w.open({ DROID_REFRESH_KEY: '  ' })).toBeUndefined();
    await mkdir(join(w.homeDir, '.factory'), { recursive: true });
    await writeFile(join(w.homeDir, '.factory', 'auth.json'), JSON.stringify({ access_token: 'x', refresh_token: '' }));
    expect(w.open({})).toBeUndefined();
  });
});
