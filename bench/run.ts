/**
 * `npm run bench -- [flags]` (see args.ts): the gateway against the fake Factory, every
 * figure a ratio or difference against the same request sent straight to the fake in the
 * same run. Method and results: docs/PERFORMANCE.md. Writes bench/results.json.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBenchArgs, type BenchArgs } from './args.js';
import type { FakeConfig } from './fake-server.js';
import { openStreams, type OpenStreamsResult } from './open-streams.js';
import { runPool, runScenario, type Env, type PoolResult, type ScenarioResult } from './phases.js';
import { startBareProxy, startFake, startGateway, type Child } from './processes.js';
import { runProfile, type ProfileResult } from './profile.js';
import { FAKE_SCENARIO, scenarios, type ScenarioSpec } from './scenarios.js';
import { runSoak, type SoakResult } from './soak.js';
import { latencyTable, openStreamsTable, poolTable, profileTables, soakTable, throughputTable } from './table.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SINGLE_KEY = 'bench-key-single';
const POOL_SIZE = 100;
/** The floor is measured where the bare proxy can stand in for the gateway: /v1/messages pass-through. */
const FLOOR_SCENARIOS: Array<ScenarioSpec['id']> = ['messages-json', 'messages-stream'];
/** A profile needs more samples than one short measured run gives. */
const PROFILE_MIN_S = 10;
const poolKeys = Array.from({ length: POOL_SIZE }, (_, i) => `bench-pool-${String(i).padStart(3, '0')}`);
/** One key out of credit, one rate-limited: what the health-aware pool has to route around. */
const BAD_KEYS: FakeConfig['keys'] = { 'bench-pool-007': { status: 402 }, 'bench-pool-042': { status: 429, retryAfter: 1 } };

interface Results {
  machine: Record<string, string | number>;
  args: BenchArgs;
  scenarios: ScenarioResult[];
  /** The pass-through scenarios through the bare Node proxy and the bare Fastify proxy instead of the gateway. */
  floor: ScenarioResult[];
  pool?: PoolResult;
  openStreams?: OpenStreamsResult;
  soak?: SoakResult;
  profile?: ProfileResult;
}

function machine(): Record<string, string | number> {
  return {
    cores: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

function log(line: string): void {
  process.stderr.write(`[bench] ${line}\n`);
}

function spec(all: ScenarioSpec[], id: ScenarioSpec['id']): ScenarioSpec {
  const found = all.find((s) => s.id === id);
  if (found === undefined) throw new Error(`no scenario ${id}`);
  return found;
}

async function throughputPhases(args: BenchArgs, env: Env, all: ScenarioSpec[], results: Results, children: Child[], logDir: string, fakeUrl: string): Promise<void> {
  const chosen = args.only === undefined ? all : all.filter((s) => args.only?.includes(s.id));
  for (const s of chosen) results.scenarios.push(await runScenario(env, s));
  if (args.floor) {
    for (const framework of [false, true]) {
      const bare = await startBareProxy(ROOT, fakeUrl, logDir, framework);
      children.push(bare);
      const name = framework ? 'framework floor: bare Fastify proxy' : 'floor: bare Node proxy';
      for (const s of chosen.filter((x) => FLOOR_SCENARIOS.includes(x.id))) results.floor.push(await runScenario({ ...env, gateway: bare }, s, `${name}, ${s.title}`));
      await bare.stop();
    }
  }
  if (!args.pool) return;
  const poolGateway = await startGateway({ name: 'gateway-pool', root: ROOT, fakeUrl, keys: poolKeys, logLevel: args.logLevel, logDir });
  children.push(poolGateway);
  results.pool = await runPool(env, poolGateway, spec(all, 'messages-json').gateway, POOL_SIZE, Object.keys(BAD_KEYS).length);
  await poolGateway.stop();
}

async function openStreamsPhase(args: BenchArgs, all: ScenarioSpec[], children: Child[], logDir: string): Promise<OpenStreamsResult> {
  log(`open streams: ${args.streams} streams, ${args.streamDelayMs} ms between events`);
  const slowFake = await startFake(ROOT, 'fake-slow', { scenario: FAKE_SCENARIO, pings: true, chunkDelayMs: args.streamDelayMs, keys: {} }, logDir);
  children.push(slowFake);
  const gateway = await startGateway({ name: 'gateway-streams', root: ROOT, fakeUrl: slowFake.url, keys: [SINGLE_KEY], logLevel: args.logLevel, logDir });
  children.push(gateway);
  const s = spec(all, 'chat-anthropic-stream');
  const result = await openStreams({ gateway, target: s.gateway, terminal: s.terminal, streams: args.streams, batch: 100, batchPauseMs: 50, timeoutMs: 120_000, procs: [gateway, slowFake] });
  await gateway.stop();
  await slowFake.stop();
  return result;
}

/** A profile run adds its section to the last full run's results instead of replacing them. */
function withProfile(out: string, results: Results): unknown {
  if (!existsSync(out)) return results;
  try {
    const previous: unknown = JSON.parse(readFileSync(out, 'utf8'));
    if (typeof previous === 'object' && previous !== null) return { ...previous, profile: results.profile };
  } catch {
    // Not ours or not JSON: replaced below.
  }
  return results;
}

function print(results: Results, args: BenchArgs): void {
  const m = results.machine;
  console.log(`\nmachine: ${m.cores} cores, ${m.cpu}, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}`);
  console.log('fake, gateway and load generator share these cores (fake and gateway are child processes).\n');
  const rows = [...results.scenarios, ...results.floor];
  if (rows.length > 0) console.log(`${latencyTable(rows)}\n\n${throughputTable(rows, args.connections)}\n`);
  if (results.pool !== undefined) console.log(`${poolTable(results.pool)}\n`);
  if (results.openStreams !== undefined) console.log(`${openStreamsTable(results.openStreams)}\n`);
  if (results.soak !== undefined) console.log(`${soakTable(results.soak)}\n`);
  if (results.profile !== undefined) {
    console.log(`profile of ${results.profile.scenario} (${results.profile.load.rps} req/s): ${results.profile.file}\n`);
    console.log(`${profileTables(results.profile.summary)}\n`);
  }
}

async function main(): Promise<void> {
  const args = parseBenchArgs(process.argv.slice(2));
  const logDir = mkdtempSync(join(tmpdir(), 'droid2api-bench-'));
  const results: Results = { machine: machine(), args, scenarios: [], floor: [] };
  const all = scenarios(args.bodyKb, args.historyKb);
  const children: Child[] = [];
  const stopAll = (): Promise<void> => Promise.all(children.map((c) => c.stop())).then(() => undefined);
  process.once('SIGINT', () => void stopAll().then(() => process.exit(130)));
  log(`child logs: ${logDir}`);
  try {
    const fake = await startFake(ROOT, 'fake', { scenario: FAKE_SCENARIO, pings: true, chunkDelayMs: 0, keys: BAD_KEYS }, logDir);
    children.push(fake);
    const base = { root: ROOT, fakeUrl: fake.url, keys: [SINGLE_KEY], logLevel: args.logLevel, logDir };
    if (args.profile !== undefined) {
      log(`profiling ${args.profile}`);
      const keys = args.profileKeys > 1 ? poolKeys.slice(0, args.profileKeys) : [SINGLE_KEY];
      const profileEnv = { ...base, keys, connections: args.connections, durationS: Math.max(args.duration, PROFILE_MIN_S), warmupS: args.warmup, procs: [fake] };
      results.profile = await runProfile(profileEnv, spec(all, args.profile));
    } else {
      const gateway = await startGateway({ ...base, name: 'gateway' });
      children.push(gateway);
      const procs = (): Child[] => [...children];
      const env: Env = { fakeUrl: fake.url, gateway, procs, durationS: args.duration, warmupS: args.warmup, rounds: args.rounds, connections: args.connections, log };
      await throughputPhases(args, env, all, results, children, logDir, fake.url);
      if (args.soak > 0) {
        log(`soak: ${args.soak} s at c=${args.connections}`);
        results.soak = await runSoak(gateway, spec(all, 'chat-anthropic-stream').gateway, args.connections, args.soak, procs());
      }
      if (args.streams > 0) results.openStreams = await openStreamsPhase(args, all, children, logDir);
    }
  } finally {
    await stopAll();
  }
  print(results, args);
  const out = args.out ?? join(ROOT, 'bench/results.json');
  writeFileSync(out, `${JSON.stringify(args.profile === undefined ? results : withProfile(out, results), null, 2)}\n`);
  log(`results written to ${out}`);
}

await main();
