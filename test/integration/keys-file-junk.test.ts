import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/load.js';
import { createCredentials } from '../../src/keys/sources.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { FakeClock, seededRandom } from '../support/fakes.js';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

const GOOD = ['junk-good-1111111111', 'junk-good-2222222222'];
/** What a binary file pasted into the keys file looks like: control bytes, NULs, invalid UTF-8. */
const JUNK_LINES = [Buffer.from([0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x41, 0x42, 0x43, 0x44, 0x45]), Buffer.from('zz\x7fzzzzzzzzzz')];

function junkFile(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'd2a-junk-'));
  const file = join(dir, 'factory_keys.txt');
  const parts: Buffer[] = [];
  for (const junk of JUNK_LINES) parts.push(junk, Buffer.from('\n'));
  parts.push(Buffer.from(`${GOOD[0]}\n`), JUNK_LINES[0]!, Buffer.from(`\n${GOOD[1]}\n`));
  writeFileSync(file, Buffer.concat(parts));
  return { dir, file };
}

function capturingLog() {
  const lines: string[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  return { log, lines, warnings: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 40) };
}

const CONFIG = loadSettings({}, process.cwd(), () => undefined).config;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('junk in the keys file', () => {
  it('serves every request with the good keys: junk lines never become keys', async () => {
    const { file } = junkFile();
    h = await startHarness({ env: { FACTORY_API_KEY: '', FACTORY_KEYS_FILE: file } });
    expect(h.services.keys.pool!.size).toBe(2);
    const openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const answers = await Promise.all(Array.from({ length: 60 }, () => openai.chat.completions.create({ model: MODEL_OF_TYPE.anthropic, messages: [{ role: 'user', content: 'hi' }] })));
    expect(answers).toHaveLength(60);
    expect(new Set(h.fake.requests.map((r) => r.key))).toEqual(new Set(GOOD));
  });

  it('warns once, naming the line numbers and never the lines', async () => {
    const { dir, file } = junkFile();
    const { log, lines, warnings } = capturingLog();
    const ctx = { env: { FACTORY_KEYS_FILE: file }, cwd: dir, dataDir: dir, config: CONFIG, store: new MemoryStore(), clock: new FakeClock(), random: seededRandom(1), log };
    const credentials = await createCredentials(ctx);
    expect(credentials.pool!.size).toBe(2);
    expect(warnings()).toEqual([expect.objectContaining({ msg: 'invalid keys skipped', lines: [1, 2, 3, 5], count: 4 })]);
    expect(lines.join('')).not.toMatch(/zzzz|ABCDE/);
  });

  it('keeps serving the current keys when a reload finds the file unusable, and says so in one warning', async () => {
    const { dir, file } = junkFile();
    const { log, warnings } = capturingLog();
    const ctx = { env: { FACTORY_KEYS_FILE: file }, cwd: dir, dataDir: dir, config: CONFIG, store: new MemoryStore(), clock: new FakeClock(), random: seededRandom(1), log };
    const credentials = await createCredentials(ctx);
    rmSync(file);
    mkdirSync(file);
    await credentials.reload();
    expect(credentials.pool!.size).toBe(2);
    const last = warnings().at(-1)!;
    expect(last.msg).toBe('key reload failed: keeping the current keys');
    expect(last.problem).toMatch(/factory_keys\.txt is a directory/);
  });

  it('refuses to start on a directory with a one-line error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd2a-junk-'));
    mkdirSync(join(dir, 'factory_keys.txt'));
    const ctx = { env: {}, cwd: dir, dataDir: dir, config: CONFIG, store: new MemoryStore(), clock: new FakeClock(), random: seededRandom(1), log: capturingLog().log };
    await expect(createCredentials(ctx)).rejects.toThrow(/^keys file .*factory_keys\.txt is a directory: point FACTORY_KEYS_FILE at a file$/);
  });
});
