/**
 * The production logger's standard output (batched writes): every line arrives whole and in
 * order, soon after it is logged, at exit, and when several processes share one pipe as
 * WORKERS processes do.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGateway, ROOT } from './support/gateway-process.js';

const LOGGER = pathToFileURL(join(ROOT, 'dist/src/logger.js')).href;

const DIR = mkdtempSync(join(tmpdir(), 'droid2api-log-'));

/** A module that logs `lines` lines (id, index, padding) with the production logger, then runs `then`; its path. */
function script(id: string, lines: number, then: string): string {
  const file = join(DIR, `${id}-${lines}-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(file, `import { bufferedStdout, createLogger } from ${JSON.stringify(LOGGER)};
const log = createLogger('info', false, bufferedStdout());
const pad = 'x'.repeat(240);
for (let i = 0; i < ${lines}; i++) log.info({ id: ${JSON.stringify(id)}, i, pad }, 'line');
${then}`);
  return file;
}

interface Run {
  /** Resolves with everything written to stdout once the process (or shell) exits. */
  done: Promise<string>;
  /** Resolves with stdout so far once `pattern` appears in it. */
  seen(pattern: string): Promise<string>;
  kill(): void;
}

function run(command: string, args: string[]): Run {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const waiting: { pattern: string; resolve: (s: string) => void }[] = [];
  child.stdout.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
    for (const w of waiting.filter((w) => out.includes(w.pattern))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve(out);
    }
  });
  const done = new Promise<string>((resolve) => child.once('close', () => resolve(out)));
  return {
    done,
    seen: (pattern) => (out.includes(pattern) ? Promise.resolve(out) : new Promise((resolve) => waiting.push({ pattern, resolve }))),
    kill: () => child.kill('SIGKILL'),
  };
}

const node = (file: string) => run(process.execPath, [file]);

/** The `i` of each line of process `id`, every line parsed as JSON (a torn line throws). */
function indexes(out: string, id: string): number[] {
  return out
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { id: string; i: number })
    .filter((l) => l.id === id)
    .map((l) => l.i);
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('the logger on standard output', () => {
  beforeAll(() => buildGateway(), 120_000);

  it('writes every line, in order, when the process ends on its own', async () => {
    const out = await node(script('a', 5000, '')).done;
    expect(indexes(out, 'a')).toEqual(upTo(5000));
  });

  it('writes what is buffered when the process calls process.exit', async () => {
    const out = await node(script('a', 7, 'process.exit(3);')).done;
    expect(indexes(out, 'a')).toEqual(upTo(7));
  });

  it('writes a lone line soon, while the process keeps running', async () => {
    const child = node(script('a', 1, "log.info('second'); setTimeout(() => undefined, 30_000);"));
    try {
      // Far less than the 30 s the process stays alive: the buffer is flushed on a timer.
      const out = await child.seen('"second"');
      expect(indexes(out, 'a')).toEqual([0]);
    } finally {
      child.kill();
    }
  });

  it('never tears or mixes lines when two processes share one pipe', async () => {
    // Both children inherit the shell's standard output: one pipe, two writers, as in WORKERS mode.
    const [a, b] = [script('a', 20_000, ''), script('b', 20_000, '')];
    const out = await run('bash', ['-c', '"$0" "$1" & "$0" "$2" & wait', process.execPath, a, b]).done;
    expect(indexes(out, 'a')).toEqual(upTo(20_000));
    expect(indexes(out, 'b')).toEqual(upTo(20_000));
  });
});
