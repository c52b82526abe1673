/**
 * The key pool at 10,000 keys, in process (`npm run build && node dist/bench/pool-scale.js`):
 * - selection: acquire + report + usage per second with 20 keys and with 10,000 keys;
 * - reload: the longest event-loop block (monitorEventLoopDelay, 1 ms resolution, minus
 *   that resolution) while a keys file of 10,000 / 20,000 keys is reloaded, with one key
 *   appended (the usual edit) and with every key new.
 * Uses only createCredentials, reload, acquire and the lease, so it runs on older sources too.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { loadSettings } from '../src/config/load.js';
import { createCredentials, type Credentials } from '../src/keys/sources.js';
import { systemClock, systemRandom } from '../src/runtime/clock.js';
import { MemoryStore } from '../src/state/memory-store.js';

const SELECT_MS = 2_000;
const RESOLUTION_MS = 1;

const keysOf = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `fk-${tag}-${String(i).padStart(8, '0')}-abcdefghijklmnop`);

async function credentials(keys: string[], strategy: 'weighted' | 'simple'): Promise<{ creds: Credentials; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'd2a-pool-bench-'));
  const file = join(dir, 'factory_keys.txt');
  writeFileSync(file, `${keys.join('\n')}\n`);
  const env = { FACTORY_KEYS_FILE: file, STATE_STORE: 'memory', DATA_DIR: dir };
  const settings = loadSettings(env, dir, () => undefined);
  const config = { ...settings.config, 'round-robin': strategy };
  const creds = await createCredentials({ env, cwd: dir, dataDir: dir, config, store: new MemoryStore(), clock: systemClock, random: systemRandom, log: pino({ level: 'silent' }) });
  return { creds, file };
}

async function selectionRate(n: number, strategy: 'weighted' | 'simple'): Promise<number> {
  const { creds } = await credentials(keysOf(n, 'sel'), strategy);
  const usage = { inputTokens: 10, outputTokens: 5, cachedInputTokens: 0 };
  const end = performance.now() + SELECT_MS;
  let done = 0;
  while (performance.now() < end) {
    for (let i = 0; i < 100; i++) {
      const lease = await creds.source.acquire({});
      lease.report({ status: 200 });
      lease.usage(usage);
    }
    done += 100;
  }
  return Math.round(done / (SELECT_MS / 1000));
}

async function reloadBlock(n: number, edit: 'append' | 'all-new'): Promise<{ maxBlockMs: number; wallMs: number }> {
  const { creds, file } = await credentials(keysOf(n, 'old'), 'weighted');
  if (edit === 'append') appendFileSync(file, 'fk-appended-key-00000001\n');
  else writeFileSync(file, `${keysOf(n, 'new').join('\n')}\n`);
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  await new Promise((r) => setTimeout(r, 20));
  histogram.reset();
  // A 1 ms ticker too: its longest gap is the longest block, whatever the histogram samples.
  let last = performance.now();
  let gap = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    gap = Math.max(gap, now - last);
    last = now;
  }, RESOLUTION_MS);
  const started = performance.now();
  await creds.reload();
  const wallMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, 20));
  clearInterval(ticker);
  histogram.disable();
  return { maxBlockMs: Math.max(histogram.max / 1e6, gap) - RESOLUTION_MS, wallMs };
}

const fmt = (x: number) => x.toFixed(1);
const lines: string[] = ['| measure | 20 keys | 10,000 keys | ratio |', '|---|---|---|---|'];
for (const strategy of ['weighted', 'simple'] as const) {
  const small = await selectionRate(20, strategy);
  const large = await selectionRate(10_000, strategy);
  lines.push(`| ${strategy}: acquire + report + usage /s | ${small} | ${large} | ${(large / small).toFixed(2)} |`);
}
lines.push('', '| reload | keys | longest event-loop block ms | reload wall ms |', '|---|---|---|---|');
for (const n of [10_000, 20_000]) {
  for (const edit of ['append', 'all-new'] as const) {
    const r = await reloadBlock(n, edit);
    lines.push(`| ${edit === 'append' ? 'one key appended' : 'every key new'} | ${n} | ${fmt(r.maxBlockMs)} | ${fmt(r.wallMs)} |`);
  }
}
process.stdout.write(`${lines.join('\n')}\n`);
