import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliRun {
  /** Exit code; null when the process died from a signal (e.g. our timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface CliInvocation {
  bin: string;
  args: string[];
  /** The whole environment: nothing is inherited, so no real credential or config leaks in. */
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
}

/**
 * Runs a CLI to completion with stdin closed. The process gets its own group so a timeout
 * also ends whatever it spawned (Codex's Node wrapper, the shells the agents run).
 */
export function runCli(inv: CliInvocation): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(inv.bin, inv.args, { env: inv.env, cwd: inv.cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // The group is already gone: nothing left to end.
      }
    }, inv.timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), timedOut });
    });
  });
}

/** A throwaway HOME (and working directory) per CLI run, so no user config is read or written. */
export interface TempHome {
  path: string;
  remove(): void;
}

export function tempHome(prefix: string): TempHome {
  const path = mkdtempSync(join(tmpdir(), `droid2api-e2e-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** What a failed assertion should show: the tail of both streams, where the CLIs say why. */
export function describeRun(run: CliRun): string {
  const tail = (s: string) => s.slice(-2_000);
  return `exit=${String(run.code)} timedOut=${String(run.timedOut)}\n--- stdout ---\n${tail(run.stdout)}\n--- stderr ---\n${tail(run.stderr)}`;
}
