/**
 * `--soak S`: the converted stream at concurrency N for S seconds on the same keep-alive
 * connections, sampling the gateway's RSS every second. A leak shows as RSS still
 * climbing after the first minute, once JIT, pools and caches have settled.
 */
import { performance } from 'node:perf_hooks';
import type { Proc } from './cpu-account.js';
import { measure } from './load.js';
import { readRss, type GatewayChild } from './processes.js';
import type { Target } from './scenarios.js';

export interface SoakResult {
  seconds: number;
  /** RSS after the settling period: 60 s, or half the soak when it is shorter. */
  settledAtS: number;
  settledRssMb: number;
  endRssMb: number;
  peakRssMb: number;
  growthMb: number;
  rps: number;
  ok: number;
  foreignCpuPct: number;
  /** RSS every second: [seconds since start, MB]. */
  samples: Array<[number, number]>;
  invalid: string | undefined;
}

export async function runSoak(gateway: GatewayChild, target: Target, connections: number, seconds: number, procs: Proc[]): Promise<SoakResult> {
  const settledAtS = Math.min(60, Math.floor(seconds / 2));
  const samples: Array<[number, number]> = [];
  const started = performance.now();
  const sampler = setInterval(() => {
    samples.push([Math.round((performance.now() - started) / 1000), readRss(gateway.pid).rssMb]);
  }, 1_000);
  // One timed run: the connections must stay open for the whole soak, as real clients' do.
  const load = await measure({ url: gateway.url, target, connections, durationS: seconds, procs, timed: true });
  clearInterval(sampler);
  const settled = samples.find(([t]) => t >= settledAtS)?.[1] ?? 0;
  const end = samples.at(-1)?.[1] ?? 0;
  return {
    seconds,
    settledAtS,
    settledRssMb: settled,
    endRssMb: end,
    peakRssMb: Math.max(0, ...samples.map(([, mb]) => mb)),
    growthMb: end - settled,
    rps: load.rps,
    ok: load.ok,
    foreignCpuPct: load.foreignCpuPct,
    samples,
    invalid: load.invalid,
  };
}
