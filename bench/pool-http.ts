/**
 * Throughput through HTTP with a pool of 20 keys and a pool of 10,000 keys: the same
 * messages-json scenario at c=50 against two gateways (keys files), alternated over a few
 * rounds so that a busy machine slows both alike. Prints each round and the ratio.
 *
 *   npm run build && node dist/bench/pool-http.js [rounds] [seconds]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { measure, warmUp } from './load.js';
import { startFake, startGateway, type Child } from './processes.js';
import { FAKE_SCENARIO, scenarios } from './scenarios.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const rounds = Number(process.argv[2] ?? 3);
const seconds = Number(process.argv[3] ?? 5);
const keys = (n: number) => Array.from({ length: n }, (_, i) => `bench-pool-${String(i).padStart(5, '0')}`);

const logDir = mkdtempSync(join(tmpdir(), 'droid2api-pool-http-'));
const children: Child[] = [];
try {
  const fake = await startFake(ROOT, 'fake', { scenario: FAKE_SCENARIO, pings: true, chunkDelayMs: 0, keys: {} }, logDir);
  children.push(fake);
  const target = scenarios(2).find((s) => s.id === 'messages-json')!.gateway;
  const small = await startGateway({ name: 'gateway-20', root: ROOT, fakeUrl: fake.url, keys: keys(20), logLevel: 'warn', logDir });
  const large = await startGateway({ name: 'gateway-10000', root: ROOT, fakeUrl: fake.url, keys: keys(10_000), logLevel: 'warn', logDir });
  children.push(small, large);
  for (const g of [small, large]) await warmUp(g.url, target, 3);
  const rps: Record<string, number[]> = { '20': [], '10000': [] };
  const cpu: Record<string, number[]> = { '20': [], '10000': [] };
  for (let r = 0; r < rounds; r++) {
    for (const [name, g] of [['20', small], ['10000', large]] as const) {
      const m = await measure({ url: g.url, target, connections: 50, durationS: seconds, procs: [{ name: g.name, pid: g.pid }, { name: 'fake', pid: fake.pid }] });
      const gatewayCpu = m.cpuUsPerReq[g.name] ?? 0;
      rps[name]!.push(m.rps);
      cpu[name]!.push(gatewayCpu);
      process.stdout.write(`round ${r + 1} ${name} keys: ${m.rps} req/s, gateway ${gatewayCpu} µs CPU a request\n`);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  process.stdout.write(`median 20 keys ${median(rps['20']!)} req/s, 10,000 keys ${median(rps['10000']!)} req/s, ratio ${(median(rps['10000']!) / median(rps['20']!)).toFixed(2)}; gateway CPU a request ${median(cpu['20']!)} → ${median(cpu['10000']!)} µs (ratio of cost ${(median(cpu['20']!) / median(cpu['10000']!)).toFixed(2)})\n`);
} finally {
  for (const c of children.reverse()) await c.stop();
}
