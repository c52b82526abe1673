import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const SRC = files(join(ROOT, 'src')).map((path) => ({ path: relative(ROOT, path), text: readFileSync(path, 'utf8') }));

function imports(text: string): string[] {
  return [...text.matchAll(/^\s*(?:import|export)[^'"]*from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
}

describe('architecture', () => {
  it('keeps dialects free of transport, credentials, routes, fastify and undici', () => {
    const offenders = SRC.filter((f) => f.path.startsWith('src/dialects/') || f.path.startsWith('src/dialect-kit/')).flatMap((f) =>
      imports(f.text)
        .filter((i) => /\/(keys|upstream|routes|pipeline)\//.test(i) || i === 'fastify' || i === 'undici')
        .map((i) => `${f.path} imports ${i}`),
    );
    expect(offenders).toEqual([]);
  });

  it('has no module-level mutable state (top-level let, or a mutable Map/Set at module level)', () => {
    const offenders = SRC.flatMap((f) =>
      f.text
        .split('\n')
        .map((line, i) => ({ line, n: i + 1 }))
        // A lookup table typed ReadonlyMap/ReadonlySet is a constant, not state.
        .filter(({ line }) => /^(export )?let /.test(line) || /^(export )?const \w+(?!: Readonly)(: [^=]+)? = new (Map|Set|WeakMap)\b/.test(line))
        .map(({ n, line }) => `${f.path}:${n}: ${line.trim()}`),
    );
    expect(offenders).toEqual([]);
  });

  it('reads the real clock and randomness only in src/runtime', () => {
    const offenders = SRC.filter((f) => !f.path.startsWith('src/runtime/'))
      .filter((f) => /\bDate\.now\(\)|\bMath\.random\(\)/.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('keeps every source file under 400 lines', () => {
    const long = SRC.map((f) => ({ path: f.path, lines: f.text.split('\n').length })).filter((f) => f.lines > 400);
    expect(long).toEqual([]);
  });

  it('never writes to the console from src (logs go through pino)', () => {
    const offenders = SRC.filter((f) => !f.path.endsWith('demo.ts')).filter((f) => /\bconsole\.(log|error|warn|info)\(/.test(f.text)).map((f) => f.path);
    expect(offenders).toEqual([]);
  });
});
