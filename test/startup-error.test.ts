/** Start-up failures an operator can fix are one line and a non-zero exit, never a stack trace. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway, spawnGateway } from './support/gateway-process.js';

const dirs: string[] = [];
beforeAll(() => buildGateway(), 180_000);
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('start-up failures', () => {
  it('refuses a corrupt SQLite database in one line that names the file and the fix', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'd2a-corrupt-'));
    dirs.push(dataDir);
    const file = join(dataDir, 'droid2api.sqlite');
    writeFileSync(file, 'this is not a database, but it is long enough to have a header of sorts. '.repeat(20));
    const gateway = spawnGateway({ FACTORY_API_KEY: 'k-some-key-1234567890', DATA_DIR: dataDir, HOME: dataDir, STATE_STORE: 'sqlite', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn' });
    const { code } = await gateway.exited;
    expect(code).toBe(1);
    const lines = gateway.output().split('\n').filter((l) => l.startsWith('droid2api:'));
    expect(lines).toEqual([`droid2api: ${file} is not a readable SQLite database (SQLITE_NOTADB): move it aside (mv ${file} ${file}.broken) and start again; key state then starts empty, and deprecated_keys.txt keeps retired keys retired`]);
    expect(gateway.output()).not.toMatch(/\n\s+at /);
  }, 60_000);
});
