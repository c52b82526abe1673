import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import { importRetiredKeys, parseRetiredKeys, RetiredKeysFile } from '../../src/keys/retired-keys-file.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { emptyKeyRecord, type KeyRecord } from '../../src/state/store.js';
import { RecordingLog, tempDir } from '../state/helpers.js';

const cleanups: Array<() => void> = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function file(text?: string): RetiredKeysFile {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const path = join(tmp.dir, 'deprecated_keys.txt');
  if (text !== undefined) writeFileSync(path, text);
  return new RetiredKeysFile(path, new RecordingLog());
}

const AT = Date.parse('2026-01-02T03:04:05.000Z');
const retired = (changedAt = AT): KeyRecord => ({ ...emptyKeyRecord('fp'), status: 'retired', reason: 'HTTP 402: no credit', changedAt });

describe('deprecated_keys.txt', () => {
  it('reads v2 lines with or without a time and reason', () => {
    const entries = parseRetiredKeys('k-one # Deprecated at 2026-01-02T03:04:05.000Z (HTTP 402)\r\nk-two\n\n# a comment\nk-three # Deprecated at 2026-01-02T03:04:05.000Z\n');
    expect([...entries]).toEqual([
      ['k-one', { at: AT, reason: 'HTTP 402' }],
      ['k-two', { at: undefined, reason: undefined }],
      ['k-three', { at: AT, reason: undefined }],
    ]);
  });

  it('lists a key once however often it is retired, with mode 0600', () => {
    const f = file();
    f.add('k-dead-1', retired());
    f.add('k-dead-1', retired(AT + 1000));
    f.add('k-dead-2', retired());
    expect(readFileSync(f.file, 'utf8')).toBe(
      'k-dead-1 # Deprecated at 2026-01-02T03:04:05.000Z (HTTP 402: no credit)\nk-dead-2 # Deprecated at 2026-01-02T03:04:05.000Z (HTTP 402: no credit)\n',
    );
    expect(statSync(f.file).mode & 0o777).toBe(0o600);
  });

  it('rewrites a file that lists a key on several lines with one line each', () => {
    const f = file('k-a # Deprecated at 2026-01-02T03:04:05.000Z (x)\nk-a # Deprecated at 2026-01-03T03:04:05.000Z (y)\nk-b\nk-a\n');
    expect([...f.read().keys()]).toEqual(['k-a', 'k-b']);
    expect(readFileSync(f.file, 'utf8')).toBe('k-a # Deprecated at 2026-01-02T03:04:05.000Z (x)\nk-b\n');
  });

  it('forgets a reinstated key', () => {
    const f = file('k-a\nk-b\n');
    f.remove('k-a');
    expect(readFileSync(f.file, 'utf8')).toBe('k-b\n');
  });

  it('retires listed keys the store lost, but not one an admin reinstated later, nor keys not in the pool', async () => {
    const store = new MemoryStore();
    store.saveKey({ ...emptyKeyRecord(fingerprint('k-back')), status: 'active', changedAt: AT + 1 });
    const listed = parseRetiredKeys('k-lost # Deprecated at 2026-01-02T03:04:05.000Z (HTTP 402)\nk-back # Deprecated at 2026-01-02T03:04:05.000Z\nk-gone\n');
    expect(await importRetiredKeys(listed, ['k-lost', 'k-back', 'k-other'], store, AT + 5)).toBe(1);
    const records = await store.loadKeys();
    expect(records.find((r) => r.fingerprint === fingerprint('k-lost'))).toMatchObject({ status: 'retired', reason: 'HTTP 402', changedAt: AT });
    expect(records.find((r) => r.fingerprint === fingerprint('k-back'))).toMatchObject({ status: 'active' });
    expect(records).toHaveLength(2);
  });
});
