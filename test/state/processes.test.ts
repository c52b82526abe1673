import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateHub } from '../../src/cluster/state-hub.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { openStore } from '../../src/state/open-store.js';
import type { StateStore } from '../../src/state/store.js';
import { workerStore } from '../support/cluster-wire.js';
import { HAVE_REDIS, startRedis, type RedisServer } from '../support/redis.js';
import { RecordingLog, fixedClock, processBeat, tempDir } from './helpers.js';

/**
 * The process register of every store (presence heartbeats): two processes sharing a store
 * see each other, a beat replaces the last one, the old and the departed are forgotten.
 */

let redis: RedisServer | undefined;
const cleanups: Array<() => Promise<void> | void> = [];
beforeAll(async () => {
  if (HAVE_REDIS) redis = await startRedis();
});
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  await redis?.stop();
});

/** Two processes' views of one shared store. */
type Shared = () => Promise<[StateStore, StateStore]>;

const SHARED: Array<{ name: string; open: Shared }> = [
  {
    name: 'memory',
    open: async () => {
      const store = new MemoryStore();
      return [store, store];
    },
  },
  {
    name: 'sqlite',
    open: async () => {
      const tmp = tempDir();
      const store = await openStore({ kind: 'sqlite', dataDir: tmp.dir, log: new RecordingLog(), clock: fixedClock(), flushIntervalMs: 60_000 });
      cleanups.push(async () => {
        await store.close();
        tmp.remove();
      });
      return [store, store];
    },
  },
  {
    name: 'two WORKERS through their primary',
    open: async () => {
      const hub = new StateHub(new MemoryStore(), () => undefined);
      return [workerStore(hub, 1), workerStore(hub, 2)];
    },
  },
  ...(HAVE_REDIS || process.env.CI
    ? [
        {
          name: 'two Redis replicas',
          open: async (): Promise<[StateStore, StateStore]> => {
            if (!redis) throw new Error('redis-server is missing: .ci/run must apt-get install redis-server');
            const prefix = `test:${randomUUID()}:`;
            const replica = () => openStore({ kind: 'redis', dataDir: '', redis: { url: redis!.url, prefix }, log: new RecordingLog(), clock: fixedClock(), flushIntervalMs: 60_000 });
            const stores = [await replica(), await replica()] as [StateStore, StateStore];
            cleanups.push(() => Promise.all(stores.map((s) => s.close())).then(() => undefined));
            return stores;
          },
        },
      ]
    : []),
];

const T = 1_800_000_000_000;

describe.each(SHARED)('process register: $name', ({ open }) => {
  it('shows each process the others, each once with its latest beat, in the order they started', async () => {
    const [a, b] = await open();
    await a.processes.beat(processBeat('a', T, T - 5_000), T - 10_000);
    await b.processes.beat(processBeat('b', T + 1_000, T - 9_000), T - 9_000);
    await a.processes.beat(processBeat('a', T + 2_000, T - 5_000), T - 8_000);
    expect((await a.processes.seen(T - 10_000)).map((p) => [p.id, p.seenAt])).toEqual([['b', T + 1_000], ['a', T + 2_000]]);
    expect(await b.processes.seen(T)).toEqual(await a.processes.seen(T));
    expect((await b.processes.seen(T + 1_500)).map((p) => p.id)).toEqual(['a']);
  });

  it('forgets, at a beat, the processes not seen since its forget time', async () => {
    const [a, b] = await open();
    await a.processes.beat(processBeat('crashed', T), T - 10_000);
    await b.processes.beat(processBeat('alive', T + 20_000), T + 10_000);
    expect((await a.processes.seen(0)).map((p) => p.id)).toEqual(['alive']);
  });

  it('drops a process that leaves', async () => {
    const [a, b] = await open();
    await a.processes.beat(processBeat('a', T), T - 10_000);
    await b.processes.beat(processBeat('b', T, 1), T - 10_000);
    await a.processes.leave('a');
    await expect.poll(async () => (await b.processes.seen(0)).map((p) => p.id)).toEqual(['b']);
  });
});
