import { mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { call } from '../routes/http.js';
import { startHarness, type Harness } from '../support/harness.js';
import { LogCapture } from '../support/secret-scan.js';

/** deprecated_keys.txt: the retired keys, 0600 in DATA_DIR, never written through a link leaving it. */

const GOOD = 'fk-deprecatedGood1234567';
const SPENT = 'fk-deprecatedSpent7654321';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function retireSpentKey(dataDir: string, log: LogCapture): Promise<void> {
  // random 0: the first listed key (SPENT) is picked first, so its 402 comes on the first request.
  h = await startHarness({ env: { FACTORY_API_KEY: `${SPENT};${GOOD}`, DATA_DIR: dataDir }, log: createLogger('info', false, log), overrides: { random: () => 0 } });
  h.fake.setKeyBehaviour(SPENT, { status: 402, errorMessage: `no credit left on ${SPENT}` });
  await call(h, 'POST', '/v1/chat/completions', { body: { model: 'kimi-k2.5', messages: [{ role: 'user', content: 'hi' }] } });
  expect(h.fake.keyLog().get(SPENT)?.statuses[402]).toBe(1);
}

function scratch(): { dataDir: string; outside: string } {
  const root = mkdtempSync(join(tmpdir(), 'd2a-deprecated-'));
  const dataDir = join(root, 'data');
  mkdirSync(dataDir, { mode: 0o700 });
  const outside = join(root, 'precious.txt');
  writeFileSync(outside, 'precious\n');
  return { dataDir, outside };
}

describe('deprecated_keys.txt', () => {
  it('gets the retired key with mode 0600 and a masked reason', async () => {
    const { dataDir } = scratch();
    await retireSpentKey(dataDir, new LogCapture());
    const file = join(dataDir, 'deprecated_keys.txt');
    await vi.waitFor(() => expect(readFileSync(file, 'utf8')).toMatch(/^fk-deprecatedSpent7654321 # Deprecated at .* \(HTTP 402: no credit left on \*\*\*\)\n$/));
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('is not followed through a link that leaves DATA_DIR: the start is refused in one line', async () => {
    const { dataDir, outside } = scratch();
    symlinkSync(outside, join(dataDir, 'deprecated_keys.txt'));
    await expect(startHarness({ env: { FACTORY_API_KEY: `${SPENT};${GOOD}`, DATA_DIR: dataDir } })).rejects.toThrow(
      /symbolic link to .*precious\.txt, outside DATA_DIR: refusing to follow it/,
    );
    expect(readFileSync(outside, 'utf8')).toBe('precious\n');
  });
});
