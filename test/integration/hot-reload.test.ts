import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import { watchKeysFile } from '../../src/services-factory.js';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

let h: Harness | undefined;
let stop: (() => void) | undefined;
afterEach(async () => {
  stop?.();
  await h?.close();
});

async function until(check: () => boolean, ms = 5_000): Promise<void> {
  await vi.waitFor(
    () => {
      if (!check()) throw new Error('condition not met in time');
    },
    { timeout: ms, interval: 20 },
  );
}

describe('key list hot reload', () => {
  it('picks up an edited factory_keys.txt without a restart and without dropping a request in flight', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd2a-keys-'));
    const file = join(dir, 'keys.txt');
    writeFileSync(file, '# one key\nkey-first-11111111\n');
    h = await startHarness({ env: { FACTORY_API_KEY: '', FACTORY_KEYS_FILE: file } });
    stop = watchKeysFile(h.services, 20);
    const openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const ask = () => openai.chat.completions.create({ model: MODEL_OF_TYPE.anthropic, messages: [{ role: 'user', content: 'hi' }] });

    await ask();
    h.fake.setScenario({ text: 'slow', delayMs: 400 });
    const inFlight = ask();
    await until(() => h!.fake.requests.length === 2);
    writeFileSync(file, 'key-second-2222222\n\n# the first key is gone\n');
    await until(() => h!.services.keys.pool!.snapshot().some((k) => k.fingerprint === fingerprint('key-second-2222222')));
    expect((await inFlight).choices[0]!.message.content).toBe('slow');

    h.fake.setScenario({ text: 'fast' });
    await ask();
    expect(h.fake.requests.map((r) => r.key)).toEqual(['key-first-11111111', 'key-first-11111111', 'key-second-2222222']);
    expect(h.services.keys.pool!.size).toBe(1);
  });

  it('reloads on demand (the SIGHUP path) and keeps the current keys when the file empties', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'd2a-keys-'));
    const file = join(dir, 'factory_keys.txt');
    writeFileSync(file, 'key-a-111111111111\n');
    h = await startHarness({ env: { FACTORY_API_KEY: 'key-env-0000000000', FACTORY_KEYS_FILE: file } });
    expect(h.services.keys.pool!.size).toBe(2);
    writeFileSync(file, 'key-a-111111111111\nkey-b-222222222222\n');
    await h.services.keys.reload();
    expect(h.services.keys.pool!.size).toBe(3);
    expect(h.services.credentials.describe()).toMatch(/3 keys/);
  });
});
