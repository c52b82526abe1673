import { describe, expect, it, vi } from 'vitest';
import { StateHub } from '../../src/cluster/state-hub.js';
import type { PrimaryMessage } from '../../src/cluster/messages.js';
import { fingerprint } from '../../src/keys/credential.js';
import { KeyPool } from '../../src/keys/pool.js';
import { ClusterStore } from '../../src/state/cluster-store.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { emptyKeyRecord, type KeyRecord } from '../../src/state/store.js';
import { FakeClock, seededRandom, silentLog } from '../support/fakes.js';
import { workerStore } from '../support/cluster-wire.js';
import { processBeat } from '../state/helpers.js';

const KEYS = ['key-one-111111111111', 'key-two-222222222222'];

/** A primary and `n` workers wired by in-process message passing instead of IPC. */
async function cluster(n: number, primaryStore = new MemoryStore()) {
  const workers: ClusterStore[] = [];
  const hub = new StateHub(primaryStore, (msg: PrimaryMessage, except?: number) => {
    workers.forEach((w, i) => {
      if (i + 1 !== except) queueMicrotask(() => w.receive(msg));
    });
  });
  await hub.init();
  for (let i = 1; i <= n; i++) workers.push(workerStore(hub, i));
  const clock = new FakeClock();
  const pools = await Promise.all(
    workers.map((store) =>
      KeyPool.create(KEYS, { origin: 'test', strategy: 'simple', removeOn402: true, store, clock, random: seededRandom(1), log: silentLog }),
    ),
  );
  return { hub, pools, primaryStore, clock };
}

/** A primary store that other replicas also write to (as Redis is): it can announce their changes. */
class SharedStore extends MemoryStore {
  readonly #listeners: Array<(r: KeyRecord) => void> = [];
  readonly #reloaders: Array<() => void> = [];
  onRemoteChange(listener: (r: KeyRecord) => void): void {
    this.#listeners.push(listener);
  }
  onReload(listener: () => void): void {
    this.#reloaders.push(listener);
  }
  announce(record: KeyRecord): void {
    for (const l of this.#listeners) l(record);
  }
  announceReload(): void {
    for (const r of this.#reloaders) r();
  }
}

describe('WORKERS: key state shared through the primary', () => {
  it("tells every worker to reload when another replica changed the key list (Redis)", async () => {
    const shared = new SharedStore();
    const workers: ClusterStore[] = [];
    const hub = new StateHub(shared, (msg: PrimaryMessage) => workers.forEach((w) => w.receive(msg)));
    await hub.init();
    const reloads: number[] = [];
    for (let i = 0; i < 2; i++) {
      const w = new ClusterStore(() => undefined);
      w.onReload(() => reloads.push(i));
      workers.push(w);
    }
    shared.announceReload();
    expect(reloads).toEqual([0, 1]);
  });

  it("passes another replica's status change (Redis) on to every worker", async () => {
    const shared = new SharedStore();
    const { pools } = await cluster(2, shared);
    shared.announce({ ...emptyKeyRecord(fingerprint(KEYS[0]!)), status: 'retired', reason: 'HTTP 402', changedAt: Date.now() });
    await vi.waitFor(() => {
      for (const pool of pools) expect(pool.snapshot().find((k) => k.fingerprint === fingerprint(KEYS[0]!))).toMatchObject({ status: 'retired', reason: 'HTTP 402' });
    });
  });

  it('tells every worker at once when one retires a key', async () => {
    const { pools } = await cluster(2);
    const lease = await pools[0]!.acquire({});
    lease.report({ status: 402 });
    const status = (i: number) => pools[i]!.snapshot().find((k) => k.fingerprint === lease.fingerprint)!.status;
    await vi.waitFor(() => {
      expect(status(0)).toBe('retired');
      expect(status(1)).toBe('retired');
    });
    for (let i = 0; i < 4; i++) {
      const next = await pools[1]!.acquire({});
      expect(next.fingerprint).not.toBe(lease.fingerprint);
      next.report({ status: 200 });
    }
  });

  it('persists the latest status and every worker\'s counts added up', async () => {
    const { pools, primaryStore } = await cluster(2);
    for (const pool of pools) {
      for (let i = 0; i < 2; i++) {
        const lease = await pool.acquire({});
        lease.report({ status: 200 });
        lease.usage({ inputTokens: 10, outputTokens: 1, cachedInputTokens: 0 });
      }
    }
    await vi.waitFor(async () => {
      const records = await primaryStore.loadKeys();
      const total = records.reduce((n, r) => n + r.success, 0);
      expect(total).toBe(4);
      expect(records.reduce((n, r) => n + r.tokensIn, 0)).toBe(40);
    });
  });

  it('hands a new worker the shared statuses with counts starting from zero', async () => {
    const primaryStore = new MemoryStore();
    primaryStore.saveKey({ fingerprint: fingerprint(KEYS[0]!), status: 'retired', changedAt: 5, reason: 'HTTP 402', success: 9, failure: 1, byStatus: { 402: 1 }, tokensIn: 0, tokensOut: 0, tokensCached: 0 });
    const { pools, hub } = await cluster(1, primaryStore);
    const view = pools[0]!.snapshot()[0]!;
    expect(view).toMatchObject({ status: 'retired', success: 0 });
    expect(hub.merged(fingerprint(KEYS[0]!))).toMatchObject({ status: 'retired', success: 9 });
  });
});

describe('WORKERS: allowance checks shared through the primary', () => {
  it('gives a claim to one worker only, and storing a shared result reloads nobody', async () => {
    const { hub } = await cluster(0);
    const received: PrimaryMessage[] = [];
    const workers = [1, 2].map((id) => workerStore(hub, id));
    const hubWithSpy = new StateHub(new MemoryStore(), (msg) => received.push(msg));
    await hubWithSpy.init();
    expect(await workers[0]!.claim('allowance-check:aa:0', 60_000, 0)).toBe(true);
    expect(await workers[1]!.claim('allowance-check:aa:0', 60_000, 1)).toBe(false);
    await hubWithSpy.handle(1, { type: 'd2a:set-value', id: 1, name: 'result:allowance:aa', value: '{}' });
    expect(received).toEqual([]);
    await hubWithSpy.handle(1, { type: 'd2a:set-value', id: 2, name: 'removed_keys', value: '[]' });
    // The value itself first (client keys apply it at once), then the reload it causes.
    expect(received).toEqual([{ type: 'd2a:value', name: 'removed_keys', value: '[]' }, { type: 'd2a:reload' }]);
  });
});

/** A primary store whose write lag the test sets. */
class LaggingStore extends MemoryStore {
  lagMs = 0;
  writeLagMs(): number {
    return this.lagMs;
  }
}

describe('WORKERS: heartbeats through the primary', () => {
  it("answers a worker's heartbeat with the primary store's write lag, which the worker then reports", async () => {
    const primary = new LaggingStore();
    const clock = new FakeClock();
    const hub = new StateHub(primary, () => undefined, clock);
    const worker = workerStore(hub, 1);
    primary.lagMs = 4_200;
    expect(worker.writeLagMs(clock.now())).toBe(0);
    await worker.processes.beat(processBeat('worker-1', clock.now()), clock.now() - 10_000);
    expect(worker.writeLagMs(clock.now())).toBe(4_200);
    expect((await worker.processes.seen(0)).map((b) => b.id)).toEqual(['worker-1']);
    expect((await primary.processes.seen(0)).map((b) => b.id)).toEqual(['worker-1']);
    primary.lagMs = 0;
    await worker.processes.beat(processBeat('worker-1', clock.now()), clock.now() - 10_000);
    expect(worker.writeLagMs(clock.now())).toBe(0);
  });

  it('still reports the lag when the store refuses the beat (it grows most while the store is down)', async () => {
    const primary = new LaggingStore();
    primary.lagMs = 7_000;
    vi.spyOn(primary.processes, 'beat').mockRejectedValue(new Error('redis is down'));
    const worker = workerStore(new StateHub(primary, () => undefined), 1);
    await expect(worker.processes.beat(processBeat('worker-1', 0), -10_000)).rejects.toThrow();
    expect(worker.writeLagMs(0)).toBe(7_000);
  });

  it('counts at least the time since the oldest unanswered heartbeat was sent', () => {
    const silentPrimary = new ClusterStore(() => undefined);
    void silentPrimary.processes.beat(processBeat('worker-1', 1_000), 0);
    void silentPrimary.processes.beat(processBeat('worker-1', 4_000), 0);
    expect(silentPrimary.writeLagMs(6_000)).toBe(5_000);
  });

  it('forgets a worker that leaves', async () => {
    const primary = new MemoryStore();
    const hub = new StateHub(primary, () => undefined);
    const [one, two] = [workerStore(hub, 1), workerStore(hub, 2)];
    await one.processes.beat(processBeat('worker-1', 100), 0);
    await two.processes.beat(processBeat('worker-2', 100), 0);
    await one.processes.leave('worker-1');
    await vi.waitFor(async () => expect((await two.processes.seen(0)).map((b) => b.id)).toEqual(['worker-2']));
  });
});
