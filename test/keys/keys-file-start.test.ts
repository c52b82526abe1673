import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

/** The compiled gateway started for real: what an operator sees when the keys file is unusable. */
const ROOT = join(import.meta.dirname, '..', '..');

function start(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [join(ROOT, 'dist/src/main.js')], { cwd: ROOT, env: { PATH: process.env.PATH, ...env }, timeout: 60_000 }, (_err, stdout, stderr) => {
      resolve({ code: child.exitCode, stdout, stderr });
    });
  });
}

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT, stdio: 'ignore' });
}, 180_000);

describe('starting with an unusable keys file', () => {
  it('exits non-zero with one line naming the file, not a stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd2a-start-'));
    const keys = join(dir, 'factory_keys.txt');
    mkdirSync(keys);
    const { code, stderr } = await start({ FACTORY_KEYS_FILE: keys, DATA_DIR: join(dir, 'data'), HOME: dir, STATE_STORE: 'memory', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    expect(code).toBe(1);
    expect(stderr).toBe(`droid2api: keys file ${keys} is a directory: point FACTORY_KEYS_FILE at a file\n`);
  });
});
