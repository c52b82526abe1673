/**
 * The fake upstream and the gateway run as separate child processes (node dist/...), so
 * that direct-to-fake and through-the-gateway runs share the two cores the same way: the
 * load generator stays in the bench process for both.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../test/support/ports.js';
import type { BareReadyMessage } from './bare-proxy.js';
import type { FakeConfig, FakeReadyMessage } from './fake-server.js';
import type { ProbeReport, ProbeRequest } from './loop-probe.js';

const READY_TIMEOUT_MS = 15_000;

export interface Child {
  readonly name: string;
  readonly pid: number;
  readonly url: string;
  stop(): Promise<void>;
}

export interface GatewayChild extends Child {
  probeReset(): void;
  probeRead(): Promise<ProbeReport>;
}

export interface GatewayOptions {
  name: string;
  root: string;
  fakeUrl: string;
  keys: string[];
  logLevel: string;
  logDir: string;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
}

/**
 * Node flags for the gateway and the floor (not the fake), e.g. BENCH_NODE_FLAGS="--trace-gc-nvp"
 * to compare their garbage collection; how docs/PERFORMANCE.md found what a stream keeps alive.
 */
function extraNodeFlags(): string[] {
  return (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
}

function logFd(logDir: string, name: string): number {
  return openSync(join(logDir, `${name}.log`), 'a');
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const done = await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)]);
    if (!done) child.kill('SIGKILL');
  };
}

/** Rejects when the child exits before it is ready, or takes too long. */
function failOnExit(child: ChildProcess, name: string): Promise<never> {
  return new Promise((_resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${name} exited with code ${String(code)} before it was ready`)));
    setTimeout(() => reject(new Error(`${name} not ready after ${READY_TIMEOUT_MS} ms`)), READY_TIMEOUT_MS).unref();
  });
}

/** A bench script child that reports its URL over IPC once it listens. */
async function startIpcChild(root: string, script: string, args: string[], name: string, logDir: string, execArgv?: string[]): Promise<Child> {
  const fd = logFd(logDir, name);
  const child = fork(join(root, script), args, { cwd: root, stdio: ['ignore', fd, fd, 'ipc'], ...(execArgv && { execArgv: [...process.execArgv, ...execArgv] }) });
  const ready = new Promise<string>((resolve) => {
    child.on('message', (msg: FakeReadyMessage | BareReadyMessage) => {
      if (msg.kind === 'ready') resolve(msg.url);
    });
  });
  const url = await Promise.race([ready, failOnExit(child, name)]);
  return { name, pid: child.pid ?? 0, url, stop: stopper(child) };
}

export function startFake(root: string, name: string, config: FakeConfig, logDir: string): Promise<Child> {
  return startIpcChild(root, 'dist/bench/fake-server.js', [JSON.stringify(config)], name, logDir);
}

/** The floor (node:http), or with `framework` the same hop inside Fastify (bench/bare-proxy.ts). */
export function startBareProxy(root: string, fakeUrl: string, logDir: string, framework = false): Promise<Child> {
  const args = framework ? [fakeUrl, 'fastify'] : [fakeUrl];
  return startIpcChild(root, 'dist/bench/bare-proxy.js', args, framework ? 'fastify-proxy' : 'bare-proxy', logDir, extraNodeFlags());
}

async function waitHealthy(url: string): Promise<void> {
  for (;;) {
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // Not listening yet.
    }
    await sleep(50);
  }
}

export async function startGateway(o: GatewayOptions): Promise<GatewayChild> {
  const port = await freePort();
  // A keys file rather than FACTORY_API_KEY: 10,000 keys do not fit in one environment string.
  const keysFile = join(o.logDir, `${o.name}-keys.txt`);
  writeFileSync(keysFile, `${o.keys.join('\n')}\n`, { mode: 0o600 });
  const fd = logFd(o.logDir, o.name);
  const probe = pathToFileURL(join(o.root, 'dist/bench/loop-probe.js')).href;
  const child = fork(join(o.root, 'dist/src/main.js'), [], {
    cwd: o.root,
    execArgv: [...(o.nodeFlags ?? []), ...extraNodeFlags(), '--import', probe],
    stdio: ['ignore', fd, fd, 'ipc'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      FACTORY_BASE_URL: o.fakeUrl,
      LOG_LEVEL: o.logLevel,
      // Each gateway gets its own key-health store and its own keys file: key state left by an
      // earlier run (or another gateway) must not shape this one.
      DATA_DIR: join(o.logDir, `${o.name}-data`),
      FACTORY_API_KEY: '',
      FACTORY_KEYS_FILE: keysFile,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  await Promise.race([waitHealthy(url), failOnExit(child, o.name)]);
  const send = (req: ProbeRequest): void => {
    child.send(req);
  };
  return {
    name: o.name,
    pid: child.pid ?? 0,
    url,
    stop: stopper(child),
    probeReset: () => send({ kind: 'probe-reset' }),
    probeRead: () =>
      new Promise<ProbeReport>((resolve) => {
        const onMessage = (msg: ProbeReport): void => {
          if (msg.kind !== 'probe-report') return;
          child.off('message', onMessage);
          resolve(msg);
        };
        child.on('message', onMessage);
        send({ kind: 'probe-read' });
      }),
  };
}

export interface Rss {
  rssMb: number;
  /** Peak RSS since the process started (VmHWM). */
  peakMb: number;
}

/** Reads a child's resident set from /proc, which needs no cooperation from the child. */
export function readRss(pid: number): Rss {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}
