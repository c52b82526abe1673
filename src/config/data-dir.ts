import { accessSync, constants, mkdirSync } from 'node:fs';
import { ConfigError } from './config-error.js';

function whoAmI(): string {
  if (typeof process.getuid !== 'function' || typeof process.getgid !== 'function') return 'the gateway\'s user';
  return `uid ${process.getuid()} (gid ${process.getgid()})`;
}

/**
 * Creates DATA_DIR if needed and proves the gateway's user can write there, so that a
 * root-owned bind mount (Docker creates a missing host directory as root) is one line that
 * names the directory, the user and the fix, instead of a stack trace and a restart loop.
 */
export function ensureWritableDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const who = whoAmI();
    const owner = who.startsWith('uid ') ? `${process.getuid?.()}:${process.getgid?.()}` : '<user>';
    throw new ConfigError(
      `DATA_DIR ${dir} is not writable by ${who} (${code}): use a named volume, or give the directory to that user (on the host: sudo chown -R ${owner} <the mounted directory>), or set DATA_DIR to a writable path`,
    );
  }
}
