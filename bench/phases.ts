/**
 * The measured phases. Each scenario runs direct and through the gateway back to back,
 * in several short rounds whose order alternates (direct first, then gateway first), at
 * concurrency 1 (latency) and N (throughput). Each figure is the median of the per-round
 * ratios or differences: a burst of foreign load hits one round, not the result.
 */
import type { Proc } from './cpu-account.js';
import { measure, smoke, warmUp, type Measurement } from './load.js';
import type { Child } from './processes.js';
import { FAILURE_MARKERS, type ScenarioSpec, type Target } from './scenarios.js';

export interface Rounds {
  /** Name of the process under test (its CPU is gatewayCpuUs[subject]). */
  subject: string;
  direct: Measurement[];
  gateway: Measurement[];
  /** Medians over the rounds. */
  directRps: number;
  gatewayRps: number;
  directP50Us: number;
  directP99Us: number;
  gatewayP50Us: number;
  gatewayP99Us: number;
  /** Highest foreign CPU share seen in any round. */
  foreignCpuPct: number;
  /** Median CPU µs per answer of each process, on each side. */
  directCpuUs: Record<string, number>;
  gatewayCpuUs: Record<string, number>;
  /** All processes' CPU per answer, direct side / gateway side: the ratio a quiet machine would show if CPU-bound. */
  cpuRatio: number;
  invalid: string | undefined;
}

export interface ScenarioResult {
  id: string;
  title: string;
  /** c=1: latency added by the gateway, microseconds (median of per-round differences). */
  latency: Rounds & { addedP50Us: number; addedP99Us: number };
  /** c=N: requests per second and gateway/direct ratio (median of per-round ratios). */
  throughput: Rounds & { ratio: number; target: number | undefined };
}

export interface PoolResult {
  keys: number;
  /** Both through the gateway, same scenario: `direct` = one key, `gateway` = the pool. */
  runs: Rounds;
  ratio: number;
  statuses: Record<string, number>;
  invalid: string | undefined;
}

export interface Env {
  fakeUrl: string;
  /** The process under test: the gateway, or the bare proxy for the floor. */
  gateway: Child;
  procs: () => Proc[];
  durationS: number;
  warmupS: number;
  rounds: number;
  connections: number;
  log: (line: string) => void;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  if (s.length === 0) return 0;
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
}

const ratio = (a: number, b: number): number => (b > 0 ? a / b : 0);
const round2 = (x: number): number => Math.round(x * 100) / 100;

interface Side {
  url: string;
  target: Target;
  expectedNon2xx?: number;
}

const total = (m: Measurement): number => Object.values(m.cpuUsPerReq).reduce((a, b) => a + b, 0);

function cpuMedians(ms: Measurement[]): Record<string, number> {
  const names = new Set(ms.flatMap((m) => Object.keys(m.cpuUsPerReq)));
  const out: Record<string, number> = {};
  for (const name of names) out[name] = Math.round(median(ms.map((m) => m.cpuUsPerReq[name] ?? 0)));
  return out;
}

/** Runs `a` and `b` in alternating order for env.rounds rounds. */
async function rounds(env: Env, a: Side, b: Side, connections: number, smokeFailure?: string): Promise<Rounds> {
  const as: Measurement[] = [];
  const bs: Measurement[] = [];
  // Each round sizes its counted run from the previous round's rate on the same side.
  const run = (s: Side, previous: Measurement[]): Promise<Measurement> =>
    measure({ ...s, connections, durationS: env.durationS, procs: env.procs(), rpsHint: previous.at(-1)?.rps || undefined });
  for (let r = 0; r < env.rounds; r += 1) {
    if (r % 2 === 0) {
      as.push(await run(a, as));
      bs.push(await run(b, bs));
    } else {
      bs.push(await run(b, bs));
      as.push(await run(a, as));
    }
  }
  const badA = as.find((m) => m.invalid !== undefined)?.invalid;
  const badB = bs.find((m) => m.invalid !== undefined)?.invalid;
  const invalid = smokeFailure ?? (badA !== undefined ? `direct: ${badA}` : badB !== undefined ? `gateway: ${badB}` : undefined);
  return {
    subject: env.gateway.name,
    direct: as,
    gateway: bs,
    directRps: Math.round(median(as.map((m) => m.rps))),
    gatewayRps: Math.round(median(bs.map((m) => m.rps))),
    directP50Us: median(as.map((m) => m.p50Us)),
    directP99Us: median(as.map((m) => m.p99Us)),
    gatewayP50Us: median(bs.map((m) => m.p50Us)),
    gatewayP99Us: median(bs.map((m) => m.p99Us)),
    foreignCpuPct: Math.max(0, ...as.concat(bs).map((m) => m.foreignCpuPct)),
    directCpuUs: cpuMedians(as),
    gatewayCpuUs: cpuMedians(bs),
    cpuRatio: round2(median(as.map((d, i) => ratio(total(d), total(bs[i] ?? d))))),
    invalid,
  };
}

function perRound(r: Rounds, f: (d: Measurement, g: Measurement) => number): number {
  return median(r.direct.map((d, i) => f(d, r.gateway[i] ?? d)));
}

export async function runScenario(env: Env, spec: ScenarioSpec, title = spec.title): Promise<ScenarioResult> {
  env.log(`${spec.id}: smoke check, warm-up`);
  const smokeFailure =
    (await smoke(env.fakeUrl, spec.direct, spec.directTerminal, FAILURE_MARKERS)) ??
    (await smoke(env.gateway.url, spec.gateway, spec.terminal, FAILURE_MARKERS));
  await warmUp(env.fakeUrl, spec.direct, env.warmupS);
  await warmUp(env.gateway.url, spec.gateway, env.warmupS);
  const direct: Side = { url: env.fakeUrl, target: spec.direct };
  const gateway: Side = { url: env.gateway.url, target: spec.gateway };
  env.log(`${spec.id}: c=1, ${env.rounds} rounds`);
  const c1 = await rounds(env, direct, gateway, 1, smokeFailure);
  env.log(`${spec.id}: c=${env.connections}, ${env.rounds} rounds`);
  const cN = await rounds(env, direct, gateway, env.connections, smokeFailure);
  return {
    id: spec.id,
    title,
    latency: {
      ...c1,
      addedP50Us: Math.round(perRound(c1, (d, g) => g.p50Us - d.p50Us)),
      addedP99Us: Math.round(perRound(c1, (d, g) => g.p99Us - d.p99Us)),
    },
    throughput: { ...cN, ratio: round2(perRound(cN, (d, g) => ratio(g.rps, d.rps))), target: spec.ratioTarget },
  };
}

/**
 * Through the gateway with one key ("direct" side) and with the 100-key pool where one
 * key answers 402 and one 429 ("gateway" side). Today keys rotate blindly, so ~2 % of
 * answers fail: those are expected and counted; anything beyond them, or any transport
 * error, invalidates the row.
 */
export async function runPool(env: Env, poolGateway: Child, target: Target, keys: number, badKeys: number): Promise<PoolResult> {
  env.log(`pool: ${keys} keys, warm-up, c=${env.connections}, ${env.rounds} rounds`);
  await warmUp(poolGateway.url, target, env.warmupS);
  const single: Side = { url: env.gateway.url, target };
  const pool: Side = { url: poolGateway.url, target, expectedNon2xx: badKeys / keys };
  const r = await rounds(env, single, pool, env.connections);
  const statuses: Record<string, number> = {};
  for (const m of r.gateway) for (const [code, n] of Object.entries(m.statuses)) statuses[code] = (statuses[code] ?? 0) + n;
  const invalid = r.invalid?.replace(/^direct:/, 'one key:').replace(/^gateway:/, 'pool:');
  return { keys, runs: r, ratio: round2(perRound(r, (d, g) => ratio(g.rps, d.rps))), statuses, invalid };
}
