import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ClientRegistry } from '../../src/clients/registry.js';
import { storedClientKeys } from '../../src/clients/stored-client-keys.js';
import { loadSettings } from '../../src/config/load.js';
import { openStore } from '../../src/state/open-store.js';
import { exposureOf } from '../../src/startup-report.js';
import { systemClock } from '../../src/runtime/clock.js';
import { silentLog } from '../support/fakes.js';

/** An exposed start under REQUIRE_GATEWAY_KEY=true is refused unless client keys protect the API. */
describe('the start-up exposure check and client keys', () => {
  it('refuses with no client key in the store, starts once one exists (what a WORKERS primary reads before forking)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'd2a-exposure-'));
    const env = { HOST: '0.0.0.0', FACTORY_API_KEY: 'fk-exposure-one', REQUIRE_GATEWAY_KEY: 'true', ADMIN_KEY: 'admin-exposure-key', STATE_STORE: 'sqlite', DATA_DIR: dataDir };
    const settings = loadSettings(env, dataDir, () => undefined);
    expect(await storedClientKeys(settings, silentLog)).toBe(false);
    expect(exposureOf(settings, false).refusal).toMatch(/^refusing to start: .*GATEWAY_API_KEY/);

    const store = await openStore({ kind: 'sqlite', dataDir, log: silentLog });
    const registry = new ClientRegistry(store, systemClock, silentLog);
    await registry.load();
    await registry.create({ name: 'alice' });
    await store.close();

    expect(await storedClientKeys(settings, silentLog)).toBe(true);
    const verdict = exposureOf(settings, true);
    expect(verdict.refusal).toBeUndefined();
    expect(verdict.warnings).toEqual([]);
  });

  it('has nothing to read in a memory store', async () => {
    const settings = loadSettings({ STATE_STORE: 'memory', FACTORY_API_KEY: 'fk-exposure-one' }, process.cwd(), () => undefined);
    expect(await storedClientKeys(settings, silentLog)).toBe(false);
  });
});
