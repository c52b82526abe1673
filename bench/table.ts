/** Renders results as Markdown tables, so the console output can go straight into docs/PERFORMANCE.md. */
import type { ProfileSummary } from './cpu-profile.js';
import type { OpenStreamsResult } from './open-streams.js';
import type { PoolResult, ScenarioResult } from './phases.js';
import type { SoakResult } from './soak.js';

function markdown(head: string[], rows: string[][]): string {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Above this foreign CPU share a wall-clock figure says more about the machine than the gateway. */
const NOISY_PCT = 20;

function verdict(invalid: string | undefined, pass: boolean | undefined, foreignPct = 0): string {
  if (invalid !== undefined) return `INVALID: ${invalid}`;
  const noisy = foreignPct > NOISY_PCT ? ' (noisy)' : '';
  if (pass === undefined) return `valid${noisy}`;
  return `${pass ? 'valid, target met' : 'valid, target missed'}${noisy}`;
}

function cpu(m: Record<string, number>, names: string[]): string {
  return names.map((n) => String(m[n] ?? 0)).join(' / ');
}

const us = (n: number): string => String(Math.round(n));
const ms = (n: number): string => (n / 1000).toFixed(1);

export function latencyTable(results: ScenarioResult[]): string {
  const rows = results.map((r) => {
    const l = r.latency;
    return [
      r.title,
      `${us(l.directP50Us)} / ${us(l.directP99Us)}`,
      `${us(l.gatewayP50Us)} / ${us(l.gatewayP99Us)}`,
      `**${us(l.addedP50Us)} / ${us(l.addedP99Us)}**`,
      cpu(l.gatewayCpuUs, [l.subject]),
      `${l.foreignCpuPct} %`,
      verdict(l.invalid, l.addedP50Us <= 300 && l.addedP99Us <= 1000, l.foreignCpuPct),
    ];
  });
  const head = ['scenario, c=1', 'direct p50 / p99 µs', 'gateway p50 / p99 µs', 'added p50 / p99 µs', 'gateway CPU µs/req', 'foreign CPU', 'verdict (≤ 300 / ≤ 1000 µs)'];
  return markdown(head, rows);
}

export function throughputTable(results: ScenarioResult[], connections: number): string {
  const rows = results.map((r) => {
    const t = r.throughput;
    return [
      r.title,
      String(t.directRps),
      String(t.gatewayRps),
      `**${t.ratio.toFixed(2)}×**`,
      `${t.cpuRatio.toFixed(2)}×`,
      t.target === undefined ? '–' : `≥ ${t.target}×`,
      cpu(t.gatewayCpuUs, ['fake', t.subject, 'bench']),
      `${ms(t.gatewayP50Us)} / ${ms(t.gatewayP99Us)}`,
      `${t.foreignCpuPct} %`,
      verdict(t.invalid, t.target === undefined ? undefined : t.ratio >= t.target, t.foreignCpuPct),
    ];
  });
  const head = [
    `scenario, c=${connections}`, 'direct req/s', 'gateway req/s', 'ratio', 'CPU ratio', 'target',
    'CPU µs/req fake / gateway / load gen', 'gateway p50 / p99 ms', 'foreign CPU', 'verdict',
  ];
  return markdown(head, rows);
}

export function poolTable(p: PoolResult): string {
  const statuses = Object.entries(p.statuses)
    .map(([code, n]) => `${code}: ${n}`)
    .join(', ');
  const r = p.runs;
  const gatewayCpu = `${r.directCpuUs.gateway ?? 0} / ${r.gatewayCpuUs['gateway-pool'] ?? 0}`;
  const row = [
    '/v1/messages JSON', String(r.directRps), String(r.gatewayRps), `**${p.ratio.toFixed(2)}×**`, `${r.cpuRatio.toFixed(2)}×`,
    gatewayCpu, statuses, `${r.foreignCpuPct} %`, verdict(p.invalid, undefined, r.foreignCpuPct),
  ];
  const head = ['gateway run', 'one key req/s', `${p.keys}-key pool req/s`, 'ratio', 'CPU ratio', 'gateway CPU µs/req one / pool', 'pool answers', 'foreign CPU', 'verdict'];
  return markdown(head, [row]);
}

export function openStreamsTable(o: OpenStreamsResult): string {
  const pass = o.peakRssMb <= 200 && o.loop.p99 <= 20_000;
  const row = [
    String(o.streams),
    String(o.peakOpen),
    String(o.idleRssMb),
    `**${o.peakRssMb}**`,
    String(o.kbPerStream),
    `${ms(o.rampLoop.p99)} / ${ms(o.rampLoop.max)}`,
    `${ms(o.loop.p50)} / **${ms(o.loop.p99)}** / ${ms(o.loop.max)}`,
    String(o.wallS),
    `${o.foreignCpuPct} %`,
    verdict(o.invalid, pass, o.foreignCpuPct),
  ];
  const head = ['streams', 'peak open', 'idle RSS MB', 'peak RSS MB', 'KB / stream', 'opening: loop delay p99 / max ms', 'all open: loop delay p50 / p99 / max ms', 'wall s', 'foreign CPU', 'verdict (≤ 200 MB, p99 ≤ 20 ms)'];
  return markdown(head, [row]);
}

export function soakTable(s: SoakResult): string {
  const row = [
    String(s.seconds), String(s.rps), String(s.settledRssMb), String(s.endRssMb), String(s.peakRssMb), `**${s.growthMb}**`,
    `${s.foreignCpuPct} %`, verdict(s.invalid, undefined, s.foreignCpuPct),
  ];
  const head = ['soak s', 'req/s', `RSS at ${s.settledAtS} s MB`, 'RSS at end MB', 'peak MB', 'growth MB', 'foreign CPU', 'verdict'];
  return markdown(head, [row]);
}

export function profileTables(p: ProfileSummary): string {
  const fns = markdown(
    ['self ms', '% busy', 'function', 'where (dist JS line)'],
    p.functions.map((f) => [String(f.ms), String(f.pct), `\`${f.name}\``, f.where]),
  );
  const origins = markdown(['self ms', '% busy', 'origin'], p.origins.map((o) => [String(o.ms), String(o.pct), o.name]));
  return `busy ${p.busyMs} ms, idle ${p.idleMs} ms\n\n${fns}\n\n${origins}`;
}
