import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MemoryStore } from '../../src/state/memory-store.js';
import { openStore } from '../../src/state/open-store.js';
import { emptyKeyRecord, type KeyRecord, type StateStore } from '../../src/state/store.js';
import { HAVE_REDIS, startRedis, type RedisServer } from '../support/redis.js';
import { RecordingLog, fixedClock, tempDir } from './helpers.js';

let redis: RedisServer | undefined;
beforeAll(async () => {
  if (HAVE_REDIS) redis = await startRedis();
});
afterAll(async () => redis?.stop());

interface Harness {
  store: StateStore;
  cleanup(): Promise<void>;
}

// One table of behaviour, run against every implementation: the pool must not tell them apart.
const IMPLEMENTATIONS: { name: string; make(): Promise<Harness> }[] = [
  {
    name: 'memory',
    make: async () => {
      const store = new MemoryStore();
      return { store, cleanup: () => store.close() };
    },
  },
  {
    name: 'sqlite',
    make: async () => {
      const tmp = tempDir();
      const store = await openStore({ kind: 'sqlite', dataDir: tmp.dir, log: new RecordingLog(), clock: fixedClock(), flushIntervalMs: 60_000 });
      return {
        store,
        cleanup: async () => {
          await store.close();
          tmp.remove();
        },
      };
    },
  },
  ...(HAVE_REDIS || process.env.CI
    ? [
        {
          name: 'redis',
          make: async () => {
            if (!redis) throw new Error('redis-server is missing: .ci/run must apt-get install redis-server');
            // A prefix of its own: every test starts from an empty store on the shared server.
            const prefix = `test:${randomUUID()}:`;
            const store = await openStore({ kind: 'redis', dataDir: '', redis: { url: redis.url, prefix }, log: new RecordingLog(), clock: fixedClock(), flushIntervalMs: 60_000 });
            return { store, cleanup: () => store.close() };
          },
        },
      ]
    : []),
];

function retired(fingerprint: string): KeyRecord {
  return { ...emptyKeyRecord(fingerprint), status: 'retired', reason: '402 insufficient balance', changedAt: 1_700_000_000_000, failure: 1, byStatus: { '402': 1 } };
}

describe.each(IMPLEMENTATIONS)('$name store', ({ make }) => {
  const harnesses: Harness[] = [];
  async function open(): Promise<StateStore> {
    const h = await make();
    harnesses.push(h);
    return h.store;
  }
  afterEach(async () => {
    await Promise.all(harnesses.splice(0).map((h) => h.cleanup()));
  });

  it('starts empty', async () => {
    const store = await open();
    expect(await store.loadKeys()).toEqual([]);
    expect(await store.loadAddedKeys()).toEqual([]);
    expect(await store.getValue('refresh_token')).toBeUndefined();
  });

  it('returns saved records, sorted by fingerprint, before and after a flush', async () => {
    const store = await open();
    store.saveKey(retired('fp-b'));
    store.saveKey(emptyKeyRecord('fp-a'));
    const expected = [emptyKeyRecord('fp-a'), retired('fp-b')];
    expect(await store.loadKeys()).toEqual(expected);
    await store.flush();
    expect(await store.loadKeys()).toEqual(expected);
  });

  it('keeps only the latest record of a fingerprint', async () => {
    const store = await open();
    store.saveKey({ ...emptyKeyRecord('fp'), success: 1 });
    store.saveKey({ ...emptyKeyRecord('fp'), success: 2 });
    await store.flush();
    store.saveKey({ ...emptyKeyRecord('fp'), success: 3 });
    expect((await store.loadKeys()).map((r) => r.success)).toEqual([3]);
    await store.flush();
    expect((await store.loadKeys()).map((r) => r.success)).toEqual([3]);
  });

  it('keeps a saved record as given, which is safe because a KeyRecord cannot be edited', async () => {
    const store = await open();
    const record: KeyRecord = emptyKeyRecord('fp');
    store.saveKey(record);
    // Checked by the type-check: a caller cannot change a record it handed over.
    const edit = (r: KeyRecord) => {
      // @ts-expect-error read-only
      r.success = 99;
      // @ts-expect-error read-only
      r.byStatus['200'] = 99;
    };
    expect(edit).toBeTypeOf('function');
    expect(await store.loadKeys()).toEqual([emptyKeyRecord('fp')]);
  });

  it('deletes a key, whether its record was already written or only queued', async () => {
    const store = await open();
    store.saveKey(emptyKeyRecord('written'));
    await store.flush();
    store.saveKey(emptyKeyRecord('queued'));
    store.deleteKey('written');
    store.deleteKey('queued');
    expect(await store.loadKeys()).toEqual([]);
    await store.flush();
    expect(await store.loadKeys()).toEqual([]);
  });

  it('saves a key again after it was deleted', async () => {
    const store = await open();
    store.saveKey(emptyKeyRecord('fp'));
    store.deleteKey('fp');
    store.saveKey(retired('fp'));
    await store.flush();
    expect(await store.loadKeys()).toEqual([retired('fp')]);
  });

  it('lists added keys in the order they were added, once each', async () => {
    const store = await open();
    await store.addKey('fk-one');
    await store.addKey('fk-two');
    await store.addKey('fk-one');
    expect(await store.loadAddedKeys()).toEqual(['fk-one', 'fk-two']);
  });

  it('removes an added key, and ignores removing an unknown one', async () => {
    const store = await open();
    await store.addKey('fk-one');
    await store.addKey('fk-two');
    await store.removeAddedKey('fk-one');
    await store.removeAddedKey('fk-unknown');
    expect(await store.loadAddedKeys()).toEqual(['fk-two']);
  });

  it('stores named values and overwrites them', async () => {
    const store = await open();
    await store.setValue('refresh_token', 'rt-1');
    await store.setValue('other', 'x');
    await store.setValue('refresh_token', 'rt-2');
    expect(await store.getValue('refresh_token')).toBe('rt-2');
    expect(await store.getValue('other')).toBe('x');
  });

  it('gives a claim to one caller until it runs out', async () => {
    const store = await open();
    expect(await store.claim!('check:a', 60_000, 0)).toBe(true);
    expect(await store.claim!('check:a', 60_000, 1)).toBe(false);
    expect(await store.claim!('check:b', 60_000, 1)).toBe(true);
    expect(await store.claim!('short', 20, 0)).toBe(true);
    // Redis expires a claim on its own clock (PX): wait for it rather than sleep.
    await vi.waitFor(async () => expect(await store.claim!('short', 40, 20)).toBe(true), { timeout: 2_000, interval: 10 });
  });

  it('closes twice without complaint', async () => {
    const store = await open();
    await store.close();
    await expect(store.close()).resolves.toBeUndefined();
  });
});
