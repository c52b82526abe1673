/**
 * One autocannon measurement. autocannon's own latency histogram has 1 ms resolution,
 * too coarse for an added latency in microseconds, so latencies are taken from its
 * 'response' event (a float in ms, from process.hrtime) into a perf_hooks histogram.
 * The same event tells which connections got an answer at all.
 */
import autocannon from 'autocannon';
import { createHistogram, performance } from 'node:perf_hooks';
import { cpuMark, cpuPerRequest, foreignCpuPct, type Proc } from './cpu-account.js';
import type { Target } from './scenarios.js';

export interface LoadOptions {
  url: string;
  target: Target;
  connections: number;
  durationS: number;
  /** Fraction of non-2xx answers that is expected (the key-pool run); 0 elsewhere. */
  expectedNon2xx?: number;
  /** The benchmark's child processes: their CPU time is counted, and is not foreign. */
  procs: Proc[];
  /** Requests per second expected at this concurrency (a previous round's); calibrated when absent. */
  rpsHint?: number;
  /**
   * Run for durationS of wall time instead of a counted amount. autocannon then cuts the
   * requests in flight at the end: only for the soak, where the last instant does not matter
   * but the connections must live for the whole run.
   */
  timed?: boolean;
}

export interface Measurement {
  connections: number;
  /** Measured wall time of the counted run. */
  durationS: number;
  ok: number;
  rps: number;
  p50Us: number;
  p99Us: number;
  non2xx: number;
  statuses: Record<string, number>;
  errors: number;
  timeouts: number;
  /** CPU share taken by processes outside the benchmark meanwhile (cpu-account.ts). */
  foreignCpuPct: number;
  /** CPU µs per 2xx answer of each process ('bench' = the load generator). */
  cpuUsPerReq: Record<string, number>;
  /** Why this measurement cannot be reported; undefined when it is valid. */
  invalid: string | undefined;
}

/** Extra non-2xx tolerated above the expected fraction: rotation is not perfectly even. */
const NON2XX_SLACK = 0.005;

function invalidReason(r: autocannon.Result, o: LoadOptions, ok: number, answered: number): string | undefined {
  // A timed run's last requests are cut on purpose; those count as errors in autocannon.
  const cut = o.timed === true ? o.connections : 0;
  if (r.errors > cut || r.timeouts > 0) return `${r.errors} errors, ${r.timeouts} timeouts`;
  if (ok === 0) return 'no 2xx answer';
  const allowed = (o.expectedNon2xx ?? 0) + (o.expectedNon2xx === undefined ? 0 : NON2XX_SLACK);
  if (r.non2xx > allowed * (ok + r.non2xx)) return `${r.non2xx} non-2xx answers`;
  if (answered < o.connections) return `only ${answered} of ${o.connections} connections got an answer`;
  return undefined;
}

/**
 * Runs a fixed number of requests. autocannon ends a timed run by destroying connections
 * with requests in flight; the gateway sees those as client aborts, which is a different
 * workload (and its key pool may count them against the key). A counted run ends only
 * once every request has its answer.
 */
function cannon(o: LoadOptions, amount: number, onResponse?: ResponseListener): Promise<Counted> {
  const started = performance.now();
  let last = started;
  return new Promise((resolve, reject) => {
    const options: autocannon.Options = {
      url: o.url + o.target.path,
      method: 'POST',
      headers: o.target.headers,
      body: o.target.body,
      connections: o.connections,
      ...(o.timed === true ? { duration: o.durationS } : { amount: Math.max(amount, o.connections) }),
      timeout: 30,
      // autocannon reports only on its sampling tick; 1 s (the default) would idle up to a second per run.
      sampleInt: 20,
    };
    const instance = autocannon(options, (err: unknown, result: autocannon.Result) => {
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve({ result, seconds: Math.max(last - started, 1) / 1000 });
    });
    instance.on('response', (client: autocannon.Client, status: number, bytes: number, responseTimeMs: number) => {
      last = performance.now();
      onResponse?.(client, status, bytes, responseTimeMs);
    });
  });
}

/** A counted run's result, timed from its start to its last answer (not to autocannon's next tick). */
interface Counted {
  result: autocannon.Result;
  seconds: number;
}

type ResponseListener = (client: autocannon.Client, status: number, bytes: number, responseTimeMs: number) => void;

/** Requests per connection in a calibration run: enough to see a rate, short enough to waste little. */
const CALIBRATION_PER_CONNECTION = 20;

/** The rate at this concurrency, from a short counted run (whose numbers are otherwise discarded). */
async function calibrate(o: LoadOptions): Promise<number> {
  const amount = o.connections * CALIBRATION_PER_CONNECTION;
  const { seconds } = await cannon(o, amount);
  return amount / seconds;
}

export async function measure(o: LoadOptions): Promise<Measurement> {
  const latencyUs = createHistogram();
  const answered = new Set<object>();
  let ok = 0;
  const rate = o.timed === true ? 0 : (o.rpsHint ?? (await calibrate(o)));
  const before = cpuMark(o.procs);
  const { result, seconds } = await cannon(o, Math.round(rate * o.durationS), (client, status, _bytes, responseTimeMs) => {
    answered.add(client);
    if (status < 200 || status > 299) return;
    ok += 1;
    latencyUs.record(Math.max(1, Math.round(responseTimeMs * 1000)));
  });
  const after = cpuMark(o.procs);
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = stat.count ?? 0;
  return {
    connections: o.connections,
    durationS: Math.round(seconds * 100) / 100,
    ok,
    rps: Math.round(ok / seconds),
    p50Us: ok > 0 ? latencyUs.percentile(50) : 0,
    p99Us: ok > 0 ? latencyUs.percentile(99) : 0,
    non2xx: result.non2xx,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    foreignCpuPct: foreignCpuPct(before, after),
    cpuUsPerReq: cpuPerRequest(before, after, ok),
    invalid: invalidReason(result, o, ok, answered.size),
  };
}

/** Discarded load until `seconds` have passed: JIT, connection pools and caches warm up. */
export async function warmUp(url: string, target: Target, seconds: number): Promise<void> {
  const started = performance.now();
  while (performance.now() - started < seconds * 1000) {
    await calibrate({ url, target, connections: 10, durationS: 0, procs: [] });
  }
}

/** One request by hand, to check the answer is complete and carries no in-band error. */
export async function smoke(url: string, target: Target, terminal: string, failures: string[]): Promise<string | undefined> {
  try {
    const res = await fetch(url + target.path, { method: 'POST', headers: target.headers, body: target.body });
    const text = await res.text();
    if (res.status !== 200) return `smoke request answered ${res.status}`;
    if (!text.includes(terminal)) return `smoke answer lacks ${terminal}`;
    const failure = failures.find((m) => text.includes(m));
    if (failure !== undefined) return `smoke answer contains ${failure}`;
    return undefined;
  } catch (err) {
    return `smoke request failed: ${err instanceof Error ? err.message : String(err)}`;
  }
}
