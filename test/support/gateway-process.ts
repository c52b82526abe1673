/**
 * The compiled gateway as a real process (signals, crashes, exit codes), built once per
 * test file. Builds of several test files running at once are serialised by a lock
 * directory, so no gateway starts from a half-written dist/.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const MAIN = join(ROOT, 'dist/src/main.js');
const LOCK = join(ROOT, 'dist', '.build-lock');
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 5 * 60_000;

function waitBriefly(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Builds src/ into dist/ (`npm run build`, incremental), one test file at a time. */
export function buildGateway(): void {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch {
      try {
        if (Date.now() - statSync(LOCK).mtimeMs > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      } catch {
        // Released between the two calls.
      }
      waitBriefly(200);
    }
  }
  try {
    // The whole build: server code, the status page's browser modules and its HTML/CSS.
    execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'ignore' });
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export interface GatewayProcess {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  output(): string;
  /** Resolves with the first match of `pattern` in the output. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Resolves once the process has exited, with its code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `node dist/src/main.js` with exactly `env` (plus PATH). */
export function spawnGateway(env: Record<string, string>): GatewayProcess {
  const child = spawn(process.execPath, [MAIN], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const watchers = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const w of watchers) w();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const waitFor = (pattern: RegExp, timeoutMs = 60_000) =>
    new Promise<RegExpExecArray>((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(out);
        if (!m) return;
        cleanup();
        resolve(m);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no ${String(pattern)} in the gateway's output:\n${out}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        watchers.delete(check);
      };
      watchers.add(check);
      void exited.then(() => setImmediate(() => {
        if (!watchers.has(check)) return;
        cleanup();
        reject(new Error(`the gateway exited before ${String(pattern)}:\n${out}`));
      }));
      check();
    });
  return { child, output: () => out, waitFor, exited };
}

export type RunningGateway = GatewayProcess & { url: string };

/** Starts the gateway and waits until it listens; returns its base URL too. */
export async function startGateway(env: Record<string, string>): Promise<RunningGateway> {
  const gateway = spawnGateway({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });
  const m = await gateway.waitFor(/Server listening at (http:\/\/127\.0\.0\.1:\d+)/);
  return { ...gateway, url: m[1]! };
}

/** Stops a gateway still running (SIGKILL: the tests that care about signals send their own). */
export async function killGateway(gateway: GatewayProcess | undefined): Promise<void> {
  if (!gateway || gateway.child.exitCode !== null || gateway.child.signalCode !== null) return;
  gateway.child.kill('SIGKILL');
  await gateway.exited;
}
