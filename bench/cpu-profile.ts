/**
 * Reads a V8 .cpuprofile (written by `node --cpu-prof`) and sums self time per function
 * and per origin (a package in node_modules, a src/ folder, node internals, GC).
 * Self time is taken from timeDeltas, not hitCount × interval, because V8's sampling
 * interval stretches under load.
 */
import { readFileSync } from 'node:fs';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  ms: number;
  /** Share of the busy time (idle excluded). */
  pct: number;
}

export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  functions: SelfTime[];
  origins: SelfTime[];
}

function isProfile(v: unknown): v is CpuProfile {
  return typeof v === 'object' && v !== null && 'nodes' in v && 'samples' in v && 'timeDeltas' in v;
}

/** `file:///…/node_modules/undici/lib/x.js` → `undici`; `…/dist/src/dialects/x.js` → `src/dialects`. */
export function originOf(url: string, name: string): string {
  if (url === '') return name.startsWith('(') ? name : '(native)';
  if (url.startsWith('node:')) return 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg?.[1] !== undefined) return pkg[1];
  const own = /\/dist\/((?:src|bench|test)\/(?:[^/]+\/)?)/.exec(url);
  if (own?.[1] !== undefined) return own[1].replace(/\/$/, '');
  return url;
}

function shortUrl(url: string): string {
  const own = /\/dist\/(.+)$/.exec(url) ?? /node_modules\/(.+)$/.exec(url);
  return own?.[1] ?? url;
}

function add(map: Map<string, SelfTime>, key: string, name: string, where: string, ms: number): void {
  const entry = map.get(key) ?? { name, where, ms: 0, pct: 0 };
  entry.ms += ms;
  map.set(key, entry);
}

function top(map: Map<string, SelfTime>, busyMs: number, n: number): SelfTime[] {
  return [...map.values()]
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n)
    .map((e) => ({ ...e, ms: Math.round(e.ms), pct: Math.round((e.ms / busyMs) * 1000) / 10 }));
}

export function summarizeProfile(path: string, n = 15): ProfileSummary {
  const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!isProfile(parsed)) throw new Error(`${path} is not a V8 CPU profile`);
  const byId = new Map(parsed.nodes.map((node) => [node.id, node.callFrame]));
  const functions = new Map<string, SelfTime>();
  const origins = new Map<string, SelfTime>();
  let idleMs = 0;
  let busyMs = 0;
  parsed.samples.forEach((id, i) => {
    const frame = byId.get(id);
    // A sample's delta is the time until the next one; microseconds.
    const ms = (parsed.timeDeltas[i + 1] ?? 0) / 1000;
    if (frame === undefined) return;
    if (frame.functionName === '(idle)') {
      idleMs += ms;
      return;
    }
    busyMs += ms;
    const name = frame.functionName || '(anonymous)';
    const where = frame.url === '' ? '' : `${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    add(functions, `${name}@${where}`, name, where, ms);
    const origin = originOf(frame.url, name);
    add(origins, origin, origin, '', ms);
  });
  return {
    busyMs: Math.round(busyMs),
    idleMs: Math.round(idleMs),
    functions: top(functions, busyMs, n),
    origins: top(origins, busyMs, n),
  };
}
