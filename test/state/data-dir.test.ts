import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirTokenFile, writeJsonAtomic } from '../../src/keys/refresh/token-files.js';
import { dataFilePath, DataDirError, prepareDataDir, tightenDataDir } from '../../src/state/data-dir.js';
import { openStore, SQLITE_FILE_NAME } from '../../src/state/open-store.js';

const mode = (path: string) => statSync(path).mode & 0o777;

function warnings(): { warn(fields: object, msg: string): void; seen: string[] } {
  const seen: string[] = [];
  return { warn: (_fields, msg) => void seen.push(msg), seen };
}

const quiet = { warn: () => undefined, error: () => undefined, debug: () => undefined };

/** A scratch directory with DATA_DIR inside it and a file outside DATA_DIR that must stay untouched. */
function scratch(): { dataDir: string; outside: string } {
  const root = mkdtempSync(join(tmpdir(), 'd2a-datadir-'));
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  const outside = join(root, 'precious.txt');
  writeFileSync(outside, 'precious\n');
  return { dataDir, outside };
}

describe('DATA_DIR', () => {
  it('is created with mode 0700, and the SQLite store file with 0600', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'd2a-datadir-')), 'new', 'data');
    const store = await openStore({ kind: 'sqlite', dataDir, log: quiet });
    await store.close();
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(join(dataDir, SQLITE_FILE_NAME))).toBe(0o600);
  });

  it('tightens an existing directory that others can read', () => {
    const { dataDir } = scratch();
    chmodSync(dataDir, 0o755);
    const log = warnings();
    tightenDataDir(dataDir, log);
    expect(mode(dataDir)).toBe(0o700);
    expect(log.seen).toEqual([]);
  });

  it('warns when a loose directory cannot be tightened', () => {
    const { dataDir } = scratch();
    chmodSync(dataDir, 0o755);
    const log = warnings();
    prepareDataDir(dataDir, log, () => {
      throw Object.assign(new Error('not the owner'), { code: 'EPERM' });
    });
    expect(log.seen).toHaveLength(1);
    expect(log.seen[0]).toMatch(/DATA_DIR can be read by other users/);
  });

  it('leaves a missing directory to whoever creates it', () => {
    const missing = join(mkdtempSync(join(tmpdir(), 'd2a-datadir-')), 'absent');
    tightenDataDir(missing, warnings());
    expect(() => statSync(missing)).toThrow();
  });

  it('accepts missing files, regular files and links that stay inside', () => {
    const { dataDir } = scratch();
    writeFileSync(join(dataDir, 'real.txt'), 'x');
    symlinkSync(join(dataDir, 'real.txt'), join(dataDir, 'inside-link.txt'));
    for (const name of ['absent.txt', 'real.txt', 'inside-link.txt']) expect(dataFilePath(dataDir, name)).toBe(join(dataDir, name));
  });

  it.each([
    ['a link to a file outside', (outside: string) => outside],
    ['a dangling link outside', (outside: string) => `${outside}.absent`],
    ['a relative link climbing out', () => '../precious.txt'],
  ])('refuses %s with one clear line', (_name, target) => {
    const { dataDir, outside } = scratch();
    symlinkSync(target(outside), join(dataDir, 'deprecated_keys.txt'));
    expect(() => dataFilePath(dataDir, 'deprecated_keys.txt')).toThrow(DataDirError);
    expect(() => dataFilePath(dataDir, 'deprecated_keys.txt')).toThrow(/symbolic link to .* outside DATA_DIR: refusing to follow it/);
  });

  it('does not open the SQLite file or its journal through a link leaving DATA_DIR', async () => {
    for (const name of [SQLITE_FILE_NAME, `${SQLITE_FILE_NAME}-wal`]) {
      const { dataDir, outside } = scratch();
      symlinkSync(outside, join(dataDir, name));
      await expect(openStore({ kind: 'sqlite', dataDir, log: quiet })).rejects.toThrow(DataDirError);
      expect(readFileSync(outside, 'utf8')).toBe('precious\n');
    }
  });

  it('does not read saved refresh tokens through a link leaving DATA_DIR', () => {
    const { dataDir, outside } = scratch();
    writeFileSync(outside, JSON.stringify({ refresh_token: 'rt', origin_sha256: 'x' }));
    symlinkSync(outside, join(dataDir, 'auth.json'));
    expect(() => DataDirTokenFile.read(dataDir)).toThrow(DataDirError);
  });

  it('does not write tokens through a link planted under the temporary file name', async () => {
    const { dataDir, outside } = scratch();
    const path = join(dataDir, 'auth.json');
    symlinkSync(outside, `${path}.${process.pid}.tmp`);
    await writeJsonAtomic(path, { refresh_token: 'rt-secret' });
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ refresh_token: 'rt-secret' });
    expect(mode(path)).toBe(0o600);
  });
});
