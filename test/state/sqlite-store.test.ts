import Database from 'better-sqlite3';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SQLITE_FILE_NAME, openStore } from '../../src/state/open-store.js';
import { SqliteStore } from '../../src/state/sqlite-store.js';
import { emptyKeyRecord, type KeyRecord } from '../../src/state/store.js';
import { RecordingLog, fixedClock, tempDir } from './helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(flushIntervalMs = 60_000): { dir: string; file: string; log: RecordingLog; open(): SqliteStore } {
  const tmp = tempDir();
  cleanups.push(tmp.remove);
  const log = new RecordingLog();
  const file = join(tmp.dir, SQLITE_FILE_NAME);
  return {
    dir: tmp.dir,
    file,
    log,
    open: () => {
      const store = SqliteStore.open({ file, log, clock: fixedClock(), flushIntervalMs });
      cleanups.push(() => store.close());
      return store;
    },
  };
}

/** A second connection, to look at the file the way a restarted process would. */
function peek(file: string): Database.Database {
  const db = new Database(file, { readonly: true });
  cleanups.push(() => {
    db.close();
  });
  return db;
}

function rowCount(file: string): number {
  const value: unknown = peek(file).prepare('SELECT count(*) FROM keys').pluck().get();
  return Number(value);
}

const retired: KeyRecord = { ...emptyKeyRecord('fp-retired'), status: 'retired', reason: '402 insufficient balance', changedAt: 1_700_000_000_000 };
/** Counters only: batched, unlike a retirement. */
const counted: KeyRecord = { ...emptyKeyRecord('fp-counted'), success: 3, byStatus: { '200': 3 } };

describe('SqliteStore', () => {
  it('keeps a retired key retired across a restart', async () => {
    const env = setup();
    const first = env.open();
    first.saveKey(retired);
    first.saveKey({ ...emptyKeyRecord('fp-active'), success: 3, byStatus: { '200': 3 }, tokensIn: 10 });
    await first.addKey('fk-added');
    await first.setValue('refresh_token', 'rt-1');
    await first.close();

    const second = env.open();
    expect(await second.loadKeys()).toEqual([{ ...emptyKeyRecord('fp-active'), success: 3, byStatus: { '200': 3 }, tokensIn: 10 }, retired]);
    expect(await second.loadAddedKeys()).toEqual(['fk-added']);
    expect(await second.getValue('refresh_token')).toBe('rt-1');
  });

  it('does not touch the file on saveKey, and writes many records in one transaction on flush', async () => {
    const env = setup();
    const store = env.open();
    for (let i = 0; i < 50; i++) store.saveKey({ ...emptyKeyRecord(`fp-${i % 10}`), success: i });
    expect(rowCount(env.file)).toBe(0);
    expect(store.stats()).toEqual({ pending: 10, flushes: 0, failures: 0 });
    await store.flush();
    expect(rowCount(env.file)).toBe(10);
    expect(store.stats()).toEqual({ pending: 0, flushes: 1, failures: 0 });
    const successes = (await store.loadKeys()).map((r) => r.success);
    expect(successes).toEqual([40, 41, 42, 43, 44, 45, 46, 47, 48, 49]);
  });

  it('commits a retirement, a disabling and a reinstatement before saveKey returns; cooling waits for the batch', async () => {
    const env = setup();
    const store = env.open();
    store.saveKey(counted);
    store.saveKey(retired);
    expect(rowCount(env.file)).toBe(2);
    expect(store.stats()).toMatchObject({ pending: 0, flushes: 1 });
    store.saveKey({ ...retired, status: 'active', reason: undefined, changedAt: 1_700_000_001_000 });
    expect(store.stats()).toMatchObject({ pending: 0, flushes: 2 });
    store.saveKey({ ...counted, status: 'disabled', reason: 'HTTP 401', changedAt: 1_700_000_002_000 });
    expect(store.stats()).toMatchObject({ pending: 0, flushes: 3 });
    store.saveKey({ ...retired, status: 'cooling', coolingUntil: 1_700_000_009_000, changedAt: 1_700_000_003_000 });
    expect(store.stats()).toMatchObject({ pending: 1, flushes: 3 });
    const reopened = env.open();
    expect((await reopened.loadKeys()).map((r) => [r.fingerprint, r.status])).toEqual([['fp-counted', 'disabled'], ['fp-retired', 'active']]);
  });

  it('does nothing on a flush with an empty queue', async () => {
    const store = setup().open();
    await store.flush();
    expect(store.stats().flushes).toBe(0);
  });

  it('flushes on its own every flushIntervalMs', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const env = setup(1000);
    const store = env.open();
    store.saveKey(counted);
    vi.advanceTimersByTime(999);
    expect(rowCount(env.file)).toBe(0);
    vi.advanceTimersByTime(1);
    expect(rowCount(env.file)).toBe(1);
    expect(store.stats().flushes).toBe(1);
  });

  it('removes deleted keys from the file', async () => {
    const env = setup();
    const store = env.open();
    store.saveKey(retired);
    await store.flush();
    store.deleteKey(retired.fingerprint);
    expect(rowCount(env.file)).toBe(1);
    await store.flush();
    expect(rowCount(env.file)).toBe(0);
  });

  it('logs a failed flush and keeps the batch for the next try', async () => {
    const env = setup();
    const store = env.open();
    // Another writer holds the lock, so the store's transaction gets SQLITE_BUSY.
    const blocker = new Database(env.file);
    cleanups.push(() => {
      blocker.close();
    });
    blocker.exec('BEGIN IMMEDIATE');
    store.saveKey(counted);
    await expect(store.flush()).resolves.toBeUndefined();
    expect(store.stats()).toEqual({ pending: 1, flushes: 0, failures: 1 });
    expect(env.log.at('error').map((e) => e.msg)).toEqual(['state store flush failed; will retry']);
    expect(await store.loadKeys()).toEqual([counted]);

    blocker.exec('ROLLBACK');
    store.saveKey({ ...counted, failure: 2 });
    await store.flush();
    expect(store.stats()).toEqual({ pending: 0, flushes: 1, failures: 1 });
    expect(rowCount(env.file)).toBe(1);
  });

  it('skips a corrupt row with a warning and loads the rest', async () => {
    const env = setup();
    const store = env.open();
    store.saveKey(retired);
    await store.close();
    const db = new Database(env.file);
    const insert = db.prepare('INSERT INTO keys (fingerprint, record, updated_at) VALUES (?, ?, 0)');
    insert.run('fp-not-json', '{oops');
    insert.run('fp-bad-shape', JSON.stringify({ fingerprint: 'fp-bad-shape', status: 'sleeping' }));
    insert.run('fp-mismatch', JSON.stringify(emptyKeyRecord('fp-other')));
    insert.run('fp-old', JSON.stringify({ fingerprint: 'fp-old', status: 'active' }));
    db.close();

    const reopened = env.open();
    expect(await reopened.loadKeys()).toEqual([emptyKeyRecord('fp-old'), retired]);
    expect(env.log.at('warn').map((e) => e.obj)).toEqual([{ fingerprint: 'fp-bad-shape' }, { fingerprint: 'fp-mismatch' }, { fingerprint: 'fp-not-json' }]);
  });

  it('creates the file with mode 0600 in WAL mode', async () => {
    const env = setup();
    const store = env.open();
    store.saveKey(retired);
    await store.flush();
    expect(statSync(env.file).mode & 0o777).toBe(0o600);
    if (existsSync(`${env.file}-wal`)) expect(statSync(`${env.file}-wal`).mode & 0o777).toBe(0o600);
    expect(peek(env.file).pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('tightens the mode of an existing file', async () => {
    const env = setup();
    writeFileSync(env.file, '', { mode: 0o644 });
    env.open();
    expect(statSync(env.file).mode & 0o777).toBe(0o600);
  });

  it('drops saveKey after close with a warning instead of throwing', async () => {
    const env = setup();
    const store = env.open();
    await store.close();
    expect(() => store.saveKey(retired)).not.toThrow();
    expect(env.log.at('warn')).toHaveLength(1);
    await expect(store.loadKeys()).rejects.toMatchObject({ code: 'internal' });
  });
});

describe('openStore', () => {
  it('creates the data dir with mode 0700 and the sqlite file inside it', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const dataDir = join(tmp.dir, 'nested', 'data');
    // A real pino logger (what Fastify hands out) fits the store's log type.
    const store = await openStore({ kind: 'sqlite', dataDir, log: pino({ enabled: false }) });
    cleanups.push(() => store.close());
    expect(store.kind).toBe('sqlite');
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    expect(existsSync(join(dataDir, SQLITE_FILE_NAME))).toBe(true);
  });

  it('opens a memory store without touching the disk', async () => {
    const tmp = tempDir();
    cleanups.push(tmp.remove);
    const dataDir = join(tmp.dir, 'unused');
    const store = await openStore({ kind: 'memory', dataDir, log: new RecordingLog() });
    expect(store.kind).toBe('memory');
    expect(existsSync(dataDir)).toBe(false);
  });
});
