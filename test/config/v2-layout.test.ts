import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/load.js';
import { importV2State, parseV2DeprecatedKeys } from '../../src/config/v2-layout.js';
import { KeyPool } from '../../src/keys/pool.js';
import { sha256 } from '../../src/keys/refresh/token-files.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { FakeClock, seededRandom, silentLog } from '../support/fakes.js';

/** A v2 volume as v2's guide left it at /app: v2's code, config and state files side by side. */
function v2Volume(): { cwd: string; dataDir: string } {
  const cwd = mkdtempSync(join(tmpdir(), 'v2-app-'));
  for (const f of ['server.js', 'key-manager.js']) writeFileSync(join(cwd, f), '// droid2api v2\n');
  writeFileSync(join(cwd, 'config.json'), JSON.stringify({ port: 3000, models: [{ name: 'v2 only', id: 'x', type: 'anthropic' }] }));
  writeFileSync(join(cwd, 'deprecated_keys.txt'), 'fk-dead-1 # Deprecated at 2025-10-20T10:00:00.000Z\nfk-dead-2 # Deprecated at 2025-10-21T10:00:00.000Z\n');
  writeFileSync(join(cwd, 'auth.json'), JSON.stringify({ access_token: 'at-v2', refresh_token: 'rt-rotated-by-v2', last_updated: '2025-10-21T10:00:00.000Z' }));
  const dataDir = join(cwd, 'data');
  mkdirSync(dataDir);
  return { cwd, dataDir };
}

describe('coming from droid2api v2 (a volume mounted over /app)', () => {
  it('reads the key out of v2 deprecated_keys.txt lines', () => {
    expect(parseV2DeprecatedKeys('fk-aaaaaaaa # Deprecated at 2025-10-20T10:00:00.000Z\n\n# note\nfk-bbbbbbbb\n')).toEqual(['fk-aaaaaaaa', 'fk-bbbbbbbb']);
  });

  it('ignores v2 config.json (not ours) and uses the shipped defaults, saying why', () => {
    const { cwd } = v2Volume();
    const warnings: string[] = [];
    const s = loadSettings({}, cwd, (m) => warnings.push(m));
    expect(s.configPath).toBeUndefined();
    expect(s.config.models.length).toBeGreaterThan(5);
    expect(warnings).toEqual([`${join(cwd, 'config.json')} belongs to droid2api v2 (its code is in ${cwd}): using the shipped defaults`]);
  });

  it('imports v2 retired keys and rotated refresh token, in one warning line with the fix', async () => {
    const { cwd, dataDir } = v2Volume();
    const store = new MemoryStore();
    const warnings: string[] = [];
    const env = { DROID_REFRESH_KEY: 'rt-original' };
    await importV2State({ cwd, dataDir, env, store, now: 1_000, warn: (m) => warnings.push(m) });

    const clock = new FakeClock();
    const pool = await KeyPool.create(['fk-dead-1', 'fk-live', 'fk-dead-2'], { origin: 'test', strategy: 'simple', removeOn402: true, store, clock, random: seededRandom(1), log: silentLog });
    expect(pool.snapshot().map((k) => k.status)).toEqual(['retired', 'active', 'retired']);

    const saved = JSON.parse(readFileSync(join(dataDir, 'auth.json'), 'utf8')) as Record<string, string>;
    expect(saved).toEqual({ refresh_token: 'rt-rotated-by-v2', origin_sha256: sha256('rt-original') });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('imported 2 retired key(s) and the saved refresh token');
    expect(warnings[0]).toContain(`mount the volume at ${dataDir} instead`);
    expect(warnings[0]).not.toMatch(/fk-dead|rt-/);

    // A second start imports nothing new and keeps our own saved token.
    writeFileSync(join(dataDir, 'auth.json'), JSON.stringify({ refresh_token: 'rt-ours', origin_sha256: sha256('rt-original') }));
    await importV2State({ cwd, dataDir, env, store, now: 2_000, warn: (m) => warnings.push(m) });
    expect(warnings[1]).toContain('imported 0 retired key(s) into');
    expect(readFileSync(join(dataDir, 'auth.json'), 'utf8')).toContain('rt-ours');
  });

  it('says nothing in a directory without v2 files', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'app-'));
    const warnings: string[] = [];
    await importV2State({ cwd, dataDir: join(cwd, 'data'), env: {}, store: new MemoryStore(), now: 0, warn: (m) => warnings.push(m) });
    expect(warnings).toEqual([]);
    expect(existsSync(join(cwd, 'data'))).toBe(false);
  });
});
