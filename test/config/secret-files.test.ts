import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureWritableDataDir } from '../../src/config/data-dir.js';
import { ConfigError, loadSettings } from '../../src/config/load.js';
import { applySecretFiles, SECRET_VARIABLES } from '../../src/config/secret-files.js';

function secretsDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'secrets-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('secrets as files (<NAME>_FILE)', () => {
  it('reads every secret variable from its _FILE, without the trailing line end', () => {
    const dir = secretsDir(Object.fromEntries(SECRET_VARIABLES.map((n) => [n.toLowerCase(), `value-of-${n}\n`])));
    const env = Object.fromEntries(SECRET_VARIABLES.map((n) => [`${n}_FILE`, join(dir, n.toLowerCase())]));
    const out = applySecretFiles(env, '/');
    for (const n of SECRET_VARIABLES) {
      expect(out[n]).toBe(`value-of-${n}`);
      expect(out[`${n}_FILE`]).toBeUndefined();
    }
  });

  it('reaches the settings: ADMIN_KEY, REDIS_URL and the env the key sources read', () => {
    const dir = secretsDir({ admin: 'adm-1\n', keys: 'fk-a;fk-b\n', redis: 'redis://10.0.0.5:6379\n', gw: 'gw-1' });
    const s = loadSettings({ ADMIN_KEY_FILE: 'admin', FACTORY_API_KEY_FILE: 'keys', REDIS_URL_FILE: 'redis', GATEWAY_API_KEY_FILE: join(dir, 'gw') }, dir, () => undefined);
    expect(s.adminKey).toBe('adm-1');
    expect(s.redis.url).toBe('redis://10.0.0.5:6379');
    expect(s.env.FACTORY_API_KEY).toBe('fk-a;fk-b');
    expect(s.env.GATEWAY_API_KEY).toBe('gw-1');
  });

  it('refuses both NAME and NAME_FILE, naming the two', () => {
    const dir = secretsDir({ k: 'fk-from-file' });
    const run = () => applySecretFiles({ FACTORY_API_KEY: 'fk-from-env', FACTORY_API_KEY_FILE: join(dir, 'k') }, '/');
    expect(run).toThrow(ConfigError);
    expect(run).toThrow('FACTORY_API_KEY and FACTORY_API_KEY_FILE are both set');
  });

  it('an empty NAME next to NAME_FILE is not a conflict (compose passes empty variables)', () => {
    const dir = secretsDir({ k: 'gw-x' });
    expect(applySecretFiles({ GATEWAY_API_KEY: '', GATEWAY_API_KEY_FILE: join(dir, 'k') }, '/').GATEWAY_API_KEY).toBe('gw-x');
  });

  it('an unreadable file is one line naming the variable and the path, never the content', () => {
    const dir = secretsDir({});
    mkdirSync(join(dir, 'a-directory'));
    for (const path of [join(dir, 'missing'), join(dir, 'a-directory')]) {
      let message = '';
      try {
        applySecretFiles({ ADMIN_KEY_FILE: path }, '/');
      } catch (err) {
        expect(err).toBeInstanceOf(ConfigError);
        message = (err as Error).message;
      }
      expect(message).toMatch(new RegExp(`^ADMIN_KEY_FILE: cannot read ${path} .*\\((ENOENT|EISDIR)\\)`));
      expect(message).not.toContain('\n');
    }
  });

  it('leaves the environment untouched when no _FILE is set', () => {
    const env = { FACTORY_API_KEY: 'fk-1' };
    expect(applySecretFiles(env, '/')).toBe(env);
  });
});

describe('DATA_DIR check', () => {
  it('creates a missing data directory', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'data-')), 'nested', 'data');
    ensureWritableDataDir(dir);
    expect(() => ensureWritableDataDir(dir)).not.toThrow();
  });

  it('an unusable directory is one line with the directory, the user and the fix', () => {
    const parent = mkdtempSync(join(tmpdir(), 'data-'));
    writeFileSync(join(parent, 'a-file'), '');
    const dir = join(parent, 'a-file', 'data');
    let message = '';
    try {
      ensureWritableDataDir(dir);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    expect(message).toContain(`DATA_DIR ${dir} is not writable by uid ${process.getuid?.()}`);
    expect(message).toContain('chown -R');
    expect(message).toContain('named volume');
    expect(message).not.toContain('\n');
  });
});
