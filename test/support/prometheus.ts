/**
 * A real Prometheus (Debian's `prometheus` package; .ci/run installs it) on 127.0.0.1 and a
 * free port, scraping one target every second, for the dashboard and alert-rule tests. Its
 * TSDB lives in a temporary folder removed on stop.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';
import { vi } from 'vitest';

export const PROMETHEUS = '/usr/bin/prometheus';
export const PROMTOOL = '/usr/bin/promtool';
export const HAVE_PROMETHEUS = existsSync(PROMETHEUS) && existsSync(PROMTOOL);

export interface PrometheusServer {
  url: string;
  /** Instant query; the parsed `data` of a successful answer, or throws with Prometheus's error. */
  query(expr: string): Promise<{ resultType: string; result: unknown[] }>;
  /** Resolves once every target has been scraped successfully at least `scrapes` times. */
  waitForScrapes(scrapes: number): Promise<void>;
  stop(): Promise<void>;
}

/** Starts Prometheus scraping `target` (host:port) at `metricsPath`, with an optional bearer token. */
export async function startPrometheus(target: string, options: { metricsPath?: string; bearer?: string } = {}): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), 'd2a-prom-'));
  const port = await freePort();
  const auth = options.bearer ? `    authorization:\n      credentials_file: ${join(dir, 'token')}\n` : '';
  if (options.bearer) writeFileSync(join(dir, 'token'), options.bearer, { mode: 0o600 });
  writeFileSync(
    join(dir, 'prometheus.yml'),
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'scrape_configs:',
      '  - job_name: droid2api',
      `    metrics_path: ${options.metricsPath ?? '/metrics'}`,
      auth.trimEnd(),
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].filter((line) => line !== '').join('\n') + '\n',
  );
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const get = async (path: string): Promise<Response> => fetch(`${url}${path}`);
  await until(async () => {
    if (child.exitCode !== null) throw new Error(`prometheus exited with ${String(child.exitCode)}: ${stderr}`);
    return (await get('/-/ready').catch(() => undefined))?.ok === true;
  }, 30_000, () => `prometheus did not become ready: ${stderr}`);

  return {
    url,
    async query(expr) {
      const res = await get(`/api/v1/query?query=${encodeURIComponent(expr)}`);
      const body = (await res.json()) as { status: string; error?: string; data?: { resultType: string; result: unknown[] } };
      if (body.status !== 'success' || !body.data) throw new Error(`${expr}: ${body.error ?? res.status}`);
      return body.data;
    },
    async waitForScrapes(scrapes) {
      await until(async () => {
        const res = await get(`/api/v1/query?query=${encodeURIComponent('count_over_time(up[5m])')}`);
        const body = (await res.json()) as { data?: { result: { value: [number, string] }[] } };
        const up = await (await get(`/api/v1/query?query=up`)).json() as { data?: { result: { value: [number, string] }[] } };
        const counts = body.data?.result.map((r) => Number(r.value[1])) ?? [];
        return counts.length > 0 && counts.every((n) => n >= scrapes) && (up.data?.result ?? []).every((r) => r.value[1] === '1');
      }, 60_000, () => `prometheus did not scrape ${target} ${scrapes} times: ${stderr}`);
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `promtool check rules FILE`: exit code and output. */
export function checkRules(file: string): { ok: boolean; output: string } {
  const run = spawnSync(PROMTOOL, ['check', 'rules', file], { encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

async function until(test: () => Promise<boolean>, timeoutMs: number, message: () => string): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!(await test())) throw new Error(message());
    },
    { timeout: timeoutMs, interval: 100 },
  );
}
