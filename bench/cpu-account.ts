/**
 * CPU accounting from /proc, which needs no cooperation from the processes:
 * - the CPU time each benchmark process spent per request, a figure that holds even when
 *   other jobs share the machine, unlike requests per second;
 * - the share of the machine used by foreign processes (other jobs, hypervisor steal)
 *   while a measurement ran, so a perturbed figure is visible as such.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';

/** USER_HZ: the unit of /proc CPU times on Linux. */
const TICKS_PER_S = 100;
const US_PER_TICK = 1_000_000 / TICKS_PER_S;

export interface Proc {
  name: string;
  pid: number;
}

export interface CpuMark {
  atMs: number;
  busyTicks: number;
  /** Ticks per process name; the bench process itself is 'bench'. */
  ticks: Record<string, number>;
}

function busyTicks(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user, nice, system, _idle, _iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return [user, nice, system, irq, softirq, steal].reduce<number>((sum, v) => sum + (v ?? 0), 0);
}

function pidTicks(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(rest[11] ?? 0) + Number(rest[12] ?? 0);
  } catch {
    // The process ended: its time no longer shows anywhere.
    return 0;
  }
}

export function cpuMark(procs: Proc[]): CpuMark {
  const ticks: Record<string, number> = { bench: pidTicks(process.pid) };
  for (const p of procs) ticks[p.name] = pidTicks(p.pid);
  return { atMs: performance.now(), busyTicks: busyTicks(), ticks };
}

function oursDelta(from: CpuMark, to: CpuMark): number {
  return Object.keys(to.ticks).reduce((sum, name) => sum + (to.ticks[name] ?? 0) - (from.ticks[name] ?? 0), 0);
}

/** Percentage of all cores used by foreign processes between two marks. */
export function foreignCpuPct(from: CpuMark, to: CpuMark): number {
  const capacity = ((to.atMs - from.atMs) / 1000) * TICKS_PER_S * availableParallelism();
  if (capacity <= 0) return 0;
  const foreign = to.busyTicks - from.busyTicks - oursDelta(from, to);
  return Math.max(0, Math.round((foreign / capacity) * 100));
}

/** CPU microseconds per request for each process between two marks. */
export function cpuPerRequest(from: CpuMark, to: CpuMark, requests: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(to.ticks)) {
    const delta = (to.ticks[name] ?? 0) - (from.ticks[name] ?? 0);
    out[name] = requests > 0 ? Math.round((delta * US_PER_TICK) / requests) : 0;
  }
  return out;
}
