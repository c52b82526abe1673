/**
 * N streams held open at once through the gateway, with the fake pausing between events
 * so each stream lasts seconds. autocannon cannot say how many streams were open at the
 * same time, so this uses node:http directly and counts: a stream is open from its first
 * body byte to its end, and the run is valid only if all N were open together.
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { cpuMark, foreignCpuPct, type Proc } from './cpu-account.js';
import type { ProbeReport } from './loop-probe.js';
import { readRss, type GatewayChild } from './processes.js';
import type { Target } from './scenarios.js';

export interface OpenStreamsOptions {
  gateway: GatewayChild;
  target: Target;
  terminal: string;
  streams: number;
  /** Connections opened per batch, and the pause between batches (listen backlog is 511). */
  batch: number;
  batchPauseMs: number;
  timeoutMs: number;
  /** The benchmark's processes, for the foreign-CPU figure. */
  procs: Proc[];
}

export interface OpenStreamsResult {
  streams: number;
  peakOpen: number;
  completed: number;
  failed: number;
  idleRssMb: number;
  peakRssMb: number;
  /** Peak RSS minus idle RSS, divided by the peak number of open streams. */
  kbPerStream: number;
  /** Event-loop delay while the streams were being opened. */
  rampLoop: ProbeReport['loopDelayUs'];
  /** Event-loop delay once all streams were open, until they ended. */
  loop: ProbeReport['loopDelayUs'];
  wallS: number;
  foreignCpuPct: number;
  invalid: string | undefined;
}

/** How long to wait, after the last batch is sent, for every stream to have opened. */
const RAMP_WAIT_MS = 3_000;

type StreamState = 'connecting' | 'open' | 'done' | 'failed';

/** Counts open streams as they change state; the peak is what matters. */
class OpenCounter {
  open = 0;
  peak = 0;
  completed = 0;
  failed = 0;

  move(from: StreamState, to: StreamState): void {
    if (from === 'open') this.open -= 1;
    if (to === 'open') this.open += 1;
    if (to === 'done') this.completed += 1;
    if (to === 'failed') this.failed += 1;
    this.peak = Math.max(this.peak, this.open);
  }
}

function oneStream(url: string, o: OpenStreamsOptions, agent: Agent, counter: OpenCounter): Promise<void> {
  return new Promise((resolve) => {
    let state: StreamState = 'connecting';
    const to = (next: StreamState): void => {
      if (state === 'done' || state === 'failed') return;
      counter.move(state, next);
      state = next;
      if (next === 'done' || next === 'failed') resolve();
    };
    const req = request(url + o.target.path, { method: 'POST', agent, headers: o.target.headers, timeout: o.timeoutMs }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        to('failed');
        return;
      }
      // The tail of the body is enough to see the terminal event; the stream is not kept whole.
      let tail = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (state === 'connecting') to('open');
        tail = (tail + chunk).slice(-256);
      });
      res.on('end', () => to(tail.includes(o.terminal) ? 'done' : 'failed'));
      res.on('error', () => to('failed'));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => to('failed'));
    req.end(o.target.body);
  });
}

export async function openStreams(o: OpenStreamsOptions): Promise<OpenStreamsResult> {
  const { gateway } = o;
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const counter = new OpenCounter();
  const idle = readRss(gateway.pid);
  let peakRss = idle.rssMb;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, readRss(gateway.pid).rssMb);
  }, 100);
  gateway.probeReset();
  const before = cpuMark(o.procs);
  const started = performance.now();
  const all: Array<Promise<void>> = [];
  for (let i = 0; i < o.streams; i += o.batch) {
    for (let j = i; j < Math.min(o.streams, i + o.batch); j += 1) all.push(oneStream(gateway.url, o, agent, counter));
    await sleep(o.batchPauseMs);
  }
  // Opening 1,000 streams is a burst of work; holding them open is the steady state the
  // target is about. The loop delay is reported for both windows.
  const rampEnd = performance.now() + RAMP_WAIT_MS;
  while (counter.open + counter.completed + counter.failed < o.streams && performance.now() < rampEnd) await sleep(20);
  const ramp = await gateway.probeRead();
  gateway.probeReset();
  await Promise.all(all);
  clearInterval(sampler);
  const wallS = (performance.now() - started) / 1000;
  const foreign = foreignCpuPct(before, cpuMark(o.procs));
  const steady = await gateway.probeRead();
  agent.destroy();
  const invalid =
    counter.failed > 0
      ? `${counter.failed} streams failed`
      : counter.peak < o.streams
        ? `only ${counter.peak} of ${o.streams} streams were open at the same time`
        : undefined;
  return {
    streams: o.streams,
    peakOpen: counter.peak,
    completed: counter.completed,
    failed: counter.failed,
    idleRssMb: idle.rssMb,
    peakRssMb: peakRss,
    kbPerStream: counter.peak > 0 ? Math.round(((peakRss - idle.rssMb) * 1024) / counter.peak) : 0,
    rampLoop: ramp.loopDelayUs,
    loop: steady.loopDelayUs,
    wallS: Math.round(wallS * 10) / 10,
    foreignCpuPct: foreign,
    invalid,
  };
}
