import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, relative } from 'node:path';
import type { DestinationStream } from 'pino';

/** Every log line the gateway writes, kept as text. */
export class LogCapture implements DestinationStream {
  readonly lines: string[] = [];

  write(line: string): void {
    this.lines.push(line);
  }

  /**
   * The lines as text to search, with every serialised Buffer ({type:'Buffer',data:[…]})
   * decoded: raw bytes logged as numbers are still the secret.
   */
  text(): string {
    return this.lines.map((line) => `${line}\n${decodedBuffers(JSON.parse(line)).join('\n')}`).join('\n');
  }
}

function decodedBuffers(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(decodedBuffers);
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  if (record.type === 'Buffer' && Array.isArray(record.data)) return [Buffer.from(record.data as number[]).toString('latin1')];
  return Object.values(record).flatMap(decodedBuffers);
}

/** Every regular file under `dir` (symlinks not followed), by path relative to it. */
export function filesUnder(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) out.set(relative(dir, path), readFileSync(path).toString('latin1'));
    }
  };
  walk(dir);
  return out;
}

/** `dir` and everything under it that other users could read or enter (mode & 077 set). */
export function readableByOthers(dir: string): string[] {
  const out: string[] = [];
  const walk = (path: string): void => {
    const stat = lstatSync(path);
    if ((stat.mode & 0o077) !== 0 && !stat.isSymbolicLink()) out.push(`${relative(dir, path) || '.'} ${(stat.mode & 0o777).toString(8)}`);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
  };
  walk(dir);
  return out;
}

/** Which of `secrets` (by name) appear whole in which of `places` (by name). */
export function leaks(secrets: Record<string, string>, places: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [secretName, secret] of Object.entries(secrets)) {
    for (const [placeName, text] of Object.entries(places)) {
      if (text.includes(secret)) found.push(`${secretName} in ${placeName}`);
    }
  }
  return found;
}

/** Sends raw bytes (a malformed request Node's parser refuses) and waits for the server to hang up. */
export function sendRaw(url: string, bytes: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connect(Number(port), hostname, () => socket.write(bytes));
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
  });
}
