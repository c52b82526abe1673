import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../config/config-error.js';
import { isValidKey } from './key-format.js';

/** The keys file cannot be used at all: one line that names the file and the fix. */
export class KeysFileError extends ConfigError {}

export interface KeysFileContent {
  keys: string[];
  /** 1-based numbers of the lines that are not a valid key (their text is never kept). */
  invalidLines: number[];
}

/**
 * The file's text: a UTF-8 byte-order mark is dropped; UTF-16 (as Windows editors save
 * "Unicode") is decoded when it has its byte-order mark and refused when it has none,
 * since every key would otherwise be read with a NUL between its characters.
 */
export function decodeKeysFile(bytes: Buffer, file: string): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString('utf8');
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(bytes.subarray(2)).swap16().toString('utf16le');
  if (bytes.length >= 4 && ((bytes[1] === 0 && bytes[3] === 0 && bytes[0] !== 0) || (bytes[0] === 0 && bytes[2] === 0 && bytes[1] !== 0))) {
    throw new KeysFileError(`keys file ${file} looks like UTF-16 without a byte-order mark: save it as UTF-8`);
  }
  return bytes.toString('utf8');
}

/** A line of factory_keys.txt sorted into `out`: blank lines and `#` comments ignored. */
function sortLine(raw: string, position: number, out: KeysFileContent): void {
  const line = raw.trim();
  if (line === '' || line.startsWith('#')) return;
  if (isValidKey(line)) out.keys.push(line);
  else out.invalidLines.push(position);
}

/** factory_keys.txt: one key a line; blank lines and `#` comments ignored; CRLF is fine. */
export function parseKeysText(text: string): KeysFileContent {
  const out: KeysFileContent = { keys: [], invalidLines: [] };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) sortLine(lines[i]!, i + 1, out);
  return out;
}

/** parseKeysText with the event loop let through every `slice` lines, for a reload of a large file. */
export async function parseKeysTextSliced(text: string, slice: number, yieldNow: () => Promise<void>): Promise<KeysFileContent> {
  const out: KeysFileContent = { keys: [], invalidLines: [] };
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    sortLine(lines[i]!, i + 1, out);
    if ((i + 1) % slice === 0) await yieldNow();
  }
  return out;
}

function describeFailure(err: unknown, file: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    const user = process.getuid?.();
    return `keys file ${file} is not readable by this user${user === undefined ? '' : ` (uid ${user})`}: fix its permissions or set FACTORY_KEYS_FILE`;
  }
  return `keys file ${file} could not be read (${code ?? 'error'}): fix it or set FACTORY_KEYS_FILE`;
}

/**
 * The keys file's text; a missing file holds none (''). Throws a KeysFileError (one line,
 * never the file's content) when the path is a directory, unreadable, or UTF-16 without BOM.
 */
export function readKeysFileText(file: string): string {
  let bytes: Buffer;
  try {
    if (statSync(file, { throwIfNoEntry: false }) === undefined) return '';
    if (statSync(file).isDirectory()) throw new KeysFileError(`keys file ${file} is a directory: point FACTORY_KEYS_FILE at a file`);
    bytes = readFileSync(file);
  } catch (err) {
    if (err instanceof KeysFileError) throw err;
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new KeysFileError(describeFailure(err, file));
  }
  return decodeKeysFile(bytes, file);
}

/** Reads and parses the keys file (see readKeysFileText for what it refuses). */
export function readKeysFile(file: string): KeysFileContent {
  return parseKeysText(readKeysFileText(file));
}
