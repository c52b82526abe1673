/**
 * Preload for the gateway child: `node --import ./dist/bench/loop-probe.js dist/src/main.js`.
 * The gateway cannot be instrumented from outside without src/ changes, so this measures
 * its event-loop delay from inside and answers over the IPC channel run.ts opens:
 *   { kind: 'probe-reset' }  → clears the histogram (start of a phase)
 *   { kind: 'probe-read' }   → answers a ProbeReport (end of a phase)
 * Without an IPC channel (run by hand) it does nothing.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface ProbeReport {
  kind: 'probe-report';
  /** Event-loop delay beyond the sampling period, microseconds. */
  loopDelayUs: { p50: number; p99: number; max: number; mean: number; count: number };
  heapUsedMb: number;
  rssMb: number;
}

export type ProbeRequest = { kind: 'probe-reset' } | { kind: 'probe-read' };

/** 10 ms sampling: fine enough for a p99 target of 20 ms, cheap enough not to show in the profile. */
const RESOLUTION_MS = 10;
const NS_PER_US = 1_000;

/** The histogram holds whole timer periods; the delay is what exceeds the resolution. */
function excessUs(ns: number): number {
  return Math.max(0, Math.round(ns / NS_PER_US - RESOLUTION_MS * 1_000));
}

function isProbeRequest(msg: unknown): msg is ProbeRequest {
  if (typeof msg !== 'object' || msg === null || !('kind' in msg)) return false;
  return msg.kind === 'probe-reset' || msg.kind === 'probe-read';
}

if (process.send !== undefined) {
  const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  histogram.enable();
  process.on('message', (msg: unknown) => {
    if (!isProbeRequest(msg)) return;
    if (msg.kind === 'probe-reset') {
      histogram.reset();
      return;
    }
    const memory = process.memoryUsage();
    const report: ProbeReport = {
      kind: 'probe-report',
      loopDelayUs: {
        p50: excessUs(histogram.percentile(50)),
        p99: excessUs(histogram.percentile(99)),
        max: excessUs(histogram.max),
        mean: excessUs(histogram.mean),
        count: histogram.count,
      },
      heapUsedMb: Math.round(memory.heapUsed / 2 ** 20),
      rssMb: Math.round(memory.rss / 2 ** 20),
    };
    process.send?.(report);
  });
  // The IPC channel must not keep a gateway alive that main.ts decided to stop.
  process.channel?.unref();
}
