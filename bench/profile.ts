/**
 * `--profile ID`: a gateway child started with `node --cpu-prof`, loaded with scenario ID
 * at concurrency N, then stopped with SIGTERM (main.ts exits cleanly, which is when V8
 * writes the profile). Prints the top self-time functions and origins.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Proc } from './cpu-account.js';
import { summarizeProfile, type ProfileSummary } from './cpu-profile.js';
import { measure, warmUp, type Measurement } from './load.js';
import { startGateway } from './processes.js';
import type { ScenarioSpec } from './scenarios.js';

export interface ProfileResult {
  scenario: string;
  file: string;
  load: Measurement;
  summary: ProfileSummary;
}

export interface ProfileEnv {
  root: string;
  fakeUrl: string;
  keys: string[];
  logLevel: string;
  logDir: string;
  connections: number;
  durationS: number;
  warmupS: number;
  /** The fake, for the CPU figures. */
  procs: Proc[];
}

export async function runProfile(env: ProfileEnv, spec: ScenarioSpec): Promise<ProfileResult> {
  const dir = join(env.logDir, 'cpu-profile');
  mkdirSync(dir, { recursive: true });
  const gateway = await startGateway({
    name: 'gateway-profiled',
    root: env.root,
    fakeUrl: env.fakeUrl,
    keys: env.keys,
    logLevel: env.logLevel,
    logDir: env.logDir,
    nodeFlags: ['--cpu-prof', '--cpu-prof-dir', dir],
  });
  let load: Measurement;
  try {
    await warmUp(gateway.url, spec.gateway, env.warmupS);
    load = await measure({ url: gateway.url, target: spec.gateway, connections: env.connections, durationS: env.durationS, procs: [gateway, ...env.procs] });
  } finally {
    await gateway.stop();
  }
  const file = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f))
    .sort()
    .at(-1);
  if (file === undefined) throw new Error(`no .cpuprofile written in ${dir}`);
  return { scenario: spec.id, file, load, summary: summarizeProfile(file, 20) };
}
