import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/runtime/clock.js';
import type { StoreLog } from '../../src/state/open-store.js';
import type { ProcessBeat } from '../../src/state/processes.js';

export interface LogEntry {
  level: 'warn' | 'error' | 'debug';
  obj: object;
  msg: string;
}

/** Records what the store logs, so tests can check warnings without a real pino. */
export class RecordingLog implements StoreLog {
  readonly entries: LogEntry[] = [];
  warn(obj: object, msg: string): void {
    this.entries.push({ level: 'warn', obj, msg });
  }
  error(obj: object, msg: string): void {
    this.entries.push({ level: 'error', obj, msg });
  }
  debug(obj: object, msg: string): void {
    this.entries.push({ level: 'debug', obj, msg });
  }
  at(level: LogEntry['level']): LogEntry[] {
    return this.entries.filter((e) => e.level === level);
  }
}

/** A clock that only moves when told to. */
export function fixedClock(start = 1_700_000_000_000): Clock & { advance(ms: number): void } {
  const state = { now: start };
  return {
    now: () => state.now,
    sleep: async () => {},
    advance: (ms) => {
      state.now += ms;
    },
  };
}

/** A fresh temp dir and its cleanup. */
export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'droid2api-state-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A heartbeat of process `id` at `seenAt`, started `startedAt`. */
export function processBeat(id: string, seenAt: number, startedAt = 0): ProcessBeat {
  return { id, host: 'test-host', pid: 4242, version: '0.0.0-test', startedAt, seenAt };
}
