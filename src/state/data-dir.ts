import { chmodSync, lstatSync, mkdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';

/**
 * DATA_DIR holds secrets (the SQLite file with admin-added keys, rotated refresh tokens,
 * retired keys): a directory only the gateway's user can list, files only it can read, and
 * no state file written or read through a symbolic link to somewhere else, where a planted
 * link would make the gateway overwrite or publish a file of the attacker's choosing.
 */

/** A DATA_DIR the gateway refuses to use; its message is the one line the operator reads. */
export class DataDirError extends Error {
  override readonly name = 'DataDirError';
}

export interface DataDirLog {
  warn(fields: object, msg: string): void;
}

const PRIVATE_DIR = 0o700;

/**
 * Creates DATA_DIR with mode 0700, or tightens an existing one that others can read or
 * enter; when that is not possible (not the owner), warns once instead of failing.
 */
export function prepareDataDir(dir: string, log: DataDirLog, chmod: (path: string, mode: number) => void = chmodSync): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  const stat = statSync(dir);
  if (!stat.isDirectory()) throw new DataDirError(`DATA_DIR ${dir} is not a directory`);
  const loose = stat.mode & 0o077;
  if (loose === 0) return;
  try {
    chmod(dir, stat.mode & 0o700);
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? String(err.code) : 'unknown';
    log.warn(
      { dataDir: dir, mode: (stat.mode & 0o777).toString(8), error: code },
      'DATA_DIR can be read by other users and could not be made private (chmod 700 it): it holds keys and tokens',
    );
  }
}

/** Tightens an existing DATA_DIR (see prepareDataDir); a missing one is left to whoever creates it. */
export function tightenDataDir(dir: string, log: DataDirLog): void {
  try {
    lstatSync(dir);
  } catch {
    return;
  }
  prepareDataDir(dir, log);
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * The path of state file `name` in `dir`. A symbolic link there that leads out of DATA_DIR
 * (or that cannot be resolved to inside it) is refused with a DataDirError; a missing file
 * or a link that stays inside is fine.
 */
export function dataFilePath(dir: string, name: string): string {
  const path = join(dir, name);
  let link;
  try {
    link = lstatSync(path);
  } catch {
    return path;
  }
  if (!link.isSymbolicLink()) return path;
  const root = realpathSync(dir);
  let target: string;
  try {
    target = realpathSync(path);
  } catch {
    // A dangling link: where writing to it would create the file.
    target = resolve(root, readlinkSync(path));
  }
  if (!isInside(root, target)) {
    throw new DataDirError(`${path} is a symbolic link to ${target}, outside DATA_DIR: refusing to follow it (remove the link)`);
  }
  return path;
}
