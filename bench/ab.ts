/**
 * `node dist/bench/ab.js --other <checkout> [--this <checkout>] [--only <scenario>] [--bursts N]
 * [--connections 1,50]`: one build's gateway (this checkout's unless --this names another)
 * against another checkout's (each built, with its node_modules), both running at once
 * against one fake, the load alternating between them in short bursts. On a shared machine
 * whose speed drifts from one minute to the next, two runs of `npm run bench` minutes apart
 * differ by more than a change costs; bursts a second apart see the same machine, so the
 * per-burst ratio of the two gateways' CPU per request is what the change costs.
 * Method and use: docs/PERFORMANCE.md ("Comparing two builds").
 */
import { mkdtempSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, warmUp, type Measurement } from './load.js';
import { median } from './phases.js';
import { startFake, startGateway, type GatewayChild } from './processes.js';
import { FAKE_SCENARIO, scenarios, type ScenarioId } from './scenarios.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const KEY = 'bench-key-single';
const BURST_S = 0.6;
const WARMUP_S = 3;

interface Side {
  label: string;
  gateway: GatewayChild;
  runs: Measurement[];
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { other: { type: 'string' }, this: { type: 'string' }, only: { type: 'string' }, bursts: { type: 'string' }, connections: { type: 'string' } },
  });
  const { other, only: scenarioArg = 'messages-json', bursts: burstsArg = '12', connections: connectionsArg = '1,50' } = values;
  if (other === undefined) throw new Error('usage: node dist/bench/ab.js --other <checkout> [--this <checkout>] [--only <scenario>] [--bursts N] [--connections 1,50]');
  const spec = scenarios(2).find((s) => s.id === (scenarioArg as ScenarioId));
  if (spec === undefined) throw new Error(`unknown scenario ${scenarioArg}`);
  const logDir = mkdtempSync(join(tmpdir(), 'droid2api-ab-'));
  const fake = await startFake(ROOT, 'fake', { scenario: FAKE_SCENARIO, pings: true, chunkDelayMs: 0, keys: {} }, logDir);
  const start = (root: string, name: string) => startGateway({ name, root, fakeUrl: fake.url, keys: [KEY], logLevel: 'info', logDir });
  const roots = [resolve(values.this ?? ROOT), resolve(other)];
  const sides: Side[] = [];
  for (const [i, root] of roots.entries()) sides.push({ label: `${i === 0 ? 'this' : 'other'} (${basename(root)})`, gateway: await start(root, `gateway-${i}`), runs: [] });
  try {
    for (const connections of connectionsArg.split(',').map(Number)) {
      for (const s of sides) {
        await warmUp(s.gateway.url, spec.gateway, WARMUP_S);
        s.runs = [];
      }
      const ratios: number[] = [];
      for (let burst = 0; burst < Number(burstsArg); burst++) {
        // Alternate which side goes first, so a trend inside a pair favours neither.
        const order = burst % 2 === 0 ? sides : [...sides].reverse();
        for (const s of order) s.runs.push(await measure({ url: s.gateway.url, target: spec.gateway, connections, durationS: BURST_S, procs: [s.gateway, fake] }));
        const [a, b] = sides.map((s) => s.runs.at(-1)?.cpuUsPerReq[s.gateway.name] ?? 0);
        if (a !== undefined && b !== undefined && b > 0) ratios.push(a / b);
      }
      console.log(`\n${spec.title}, c=${connections}, ${burstsArg} bursts of ${BURST_S} s each`);
      console.log('| build | gateway CPU µs/req (median) | p50 µs (median) | req/s (median) | fake CPU µs/req | invalid bursts |');
      console.log('| --- | --- | --- | --- | --- | --- |');
      for (const s of sides) {
        const cpu = median(s.runs.map((r) => r.cpuUsPerReq[s.gateway.name] ?? 0));
        const fakeCpu = median(s.runs.map((r) => r.cpuUsPerReq[fake.name] ?? 0));
        const invalid = s.runs.filter((r) => r.invalid !== undefined).length;
        console.log(`| ${s.label} | ${cpu.toFixed(0)} | ${median(s.runs.map((r) => r.p50Us)).toFixed(0)} | ${median(s.runs.map((r) => r.rps)).toFixed(0)} | ${fakeCpu.toFixed(0)} | ${invalid} |`);
      }
      const sorted = [...ratios].sort((x, y) => x - y);
      const quart = (q: number) => (sorted[Math.floor(q * (sorted.length - 1))] ?? 0).toFixed(2);
      console.log(`this / other CPU per request, per burst: median ${median(ratios).toFixed(2)} (quartiles ${quart(0.25)}–${quart(0.75)})`);
    }
  } finally {
    for (const s of sides) await s.gateway.stop();
    await fake.stop();
  }
}

await main();
