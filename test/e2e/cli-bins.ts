import { accessSync, constants } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Finds the real Claude Code and Codex binaries that test/e2e/install-clis.sh puts in a
 * cache outside the tree (or that CLAUDE_BIN / CODEX_BIN name). The native binaries are
 * taken from the platform packages directly, so npm's postinstall never has to run.
 */

export type CliName = 'claude' | 'codex';

export type CliLookup = { found: true; path: string } | { found: false; reason: string };

const INSTALL_HINT = 'run `bash test/e2e/install-clis.sh` (or set CLAUDE_BIN / CODEX_BIN)';

export function e2eDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.DROID2API_E2E_DIR ?? join(homedir(), '.cache', 'droid2api-e2e');
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function platformKey(): string {
  return `${process.platform}-${process.arch}`;
}

/** Codex names its vendor folders by Rust target triple (see @openai/codex bin/codex.js). */
const CODEX_TRIPLES: Readonly<Record<string, string>> = {
  'linux-x64': 'x86_64-unknown-linux-musl',
  'linux-arm64': 'aarch64-unknown-linux-musl',
  'darwin-x64': 'x86_64-apple-darwin',
  'darwin-arm64': 'aarch64-apple-darwin',
};

function candidates(name: CliName, modules: string): string[] {
  const key = platformKey();
  if (name === 'claude') {
    return [
      join(modules, `@anthropic-ai/claude-code-${key}/claude`),
      join(modules, `@anthropic-ai/claude-code-${key}-musl/claude`),
    ];
  }
  const triple = CODEX_TRIPLES[key];
  return [
    ...(triple ? [join(modules, `@openai/codex-${key}/vendor/${triple}/bin/codex`)] : []),
    // The Node wrapper finds the native binary itself; it needs no install script.
    join(modules, '.bin/codex'),
  ];
}

export function findCli(name: CliName, env: NodeJS.ProcessEnv = process.env): CliLookup {
  const override = name === 'claude' ? env.CLAUDE_BIN : env.CODEX_BIN;
  if (override) {
    return isExecutable(override)
      ? { found: true, path: override }
      : { found: false, reason: `${name === 'claude' ? 'CLAUDE_BIN' : 'CODEX_BIN'}=${override} is not executable` };
  }
  const modules = join(e2eDir(env), 'node_modules');
  const path = candidates(name, modules).find(isExecutable);
  return path
    ? { found: true, path }
    : { found: false, reason: `${name} CLI not found under ${modules}: ${INSTALL_HINT}` };
}

/** CI must never pass without running the CLIs; a developer without them gets a skip. */
export function mustRun(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.CI === 'true' || env.CI === '1';
}

/**
 * Whether a CLI's suite is skipped. A skip says why on stderr, since vitest's default
 * reporter does not print the names of skipped tests.
 */
export function skipSuite(label: string, lookup: CliLookup, env: NodeJS.ProcessEnv = process.env): boolean {
  if (lookup.found || mustRun(env)) return false;
  process.stderr.write(`test/e2e: skipping the ${label} tests: ${lookup.reason}\n`);
  return true;
}

/** The binary, or (under CI, when it is missing) a failure that says how to install it. */
export function requireCli(lookup: CliLookup): string {
  if (!lookup.found) throw new Error(`CI requires the e2e CLIs: ${lookup.reason}`);
  return lookup.path;
}

export function suiteTitle(label: string, lookup: CliLookup): string {
  return lookup.found ? `${label} CLI` : `${label} CLI (not installed: ${lookup.reason})`;
}
