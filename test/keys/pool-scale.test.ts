import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import { fingerprintsOf } from '../../src/keys/fingerprints.js';
import { KeyPool } from '../../src/keys/pool.js';
import { MemoryStore } from '../../src/state/memory-store.js';
import { FakeClock, seededRandom, silentLog } from '../support/fakes.js';

const secrets = (n: number, prefix = 'scale') => Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(8, '0')}-key`);

async function makePool(keys: string[], strategy: 'simple' | 'weighted' = 'simple') {
  return KeyPool.create(keys, { origin: 'test', strategy, removeOn402: true, store: new MemoryStore(), clock: new FakeClock(), random: seededRandom(1), log: silentLog });
}

/** A fingerprint map that counts how many keys the pool had to look up as new. */
class CountingMap extends Map<string, string> {
  gets = 0;
  override get(key: string): string | undefined {
    this.gets++;
    return super.get(key);
  }
}

describe('a pool of 20,000 keys', () => {
  it('reloads the same list without treating any key as new, and a list with one more key with one', async () => {
    const keys = secrets(20_000);
    const pool = await makePool(keys);
    const same = new CountingMap();
    expect(pool.setKeys(keys, same)).toEqual({ added: 0, removed: 0 });
    expect(same.gets).toBe(0);
    const more = new CountingMap([['scale-new-key-0001', 'feedf00d']]);
    expect(pool.setKeys([...keys.slice(1), 'scale-new-key-0001'], more)).toEqual({ added: 1, removed: 1 });
    expect(more.gets).toBe(1);
    expect(pool.view('feedf00d')?.fingerprint).toBe('feedf00d');
  });

  it('hashes only unknown keys, a slice at a time with the event loop let through in between', async () => {
    const keys = secrets(20_000, 'fresh');
    let yields = 0;
    let lookups = 0;
    const fps = await fingerprintsOf(keys, (k) => (lookups++, k === keys[0]), async () => void yields++);
    expect(fps.has(keys[0]!)).toBe(false);
    expect(fps.get(keys[1]!)).toBe(fingerprint(keys[1]!));
    expect(lookups).toBe(20_000);
    expect(yields).toBe(Math.floor(19_999 / 256));
  });

  it('adds and removes a key without disturbing the rotation or the other keys', async () => {
    const keys = secrets(4);
    const pool = await makePool(keys);
    const order = async () => {
      const out: string[] = [];
      for (let i = 0; i < pool.size; i++) {
        const lease = await pool.acquire({});
        lease.report({ status: 200 });
        out.push(pool.secretOf(lease.fingerprint)!);
      }
      return out;
    };
    expect(await order()).toEqual(keys);
    const lease = await pool.acquire({});
    lease.report({ status: 402 }); // keys[0] retired
    expect(pool.addKey('scale-added-key-0001')).toBe(true);
    expect(pool.addKey('scale-added-key-0001')).toBe(false);
    expect(pool.removeKey(fingerprint(keys[2]!))).toBe(true);
    expect(await order()).toEqual([keys[1], keys[3], 'scale-added-key-0001', keys[1]]);
    expect(pool.view(fingerprint(keys[0]!))?.status).toBe('retired');
    expect(pool.size).toBe(4);
  });

  it('reloads a large list a slice at a time, and an admin change made meanwhile is never undone', async () => {
    const keys = secrets(5_000, 'sliced');
    const pool = await makePool(keys);
    let yields = 0;
    expect(await pool.setKeysSliced([...keys, 'sliced-new-key-0001'], undefined, async () => void yields++)).toEqual({ added: 1, removed: 0 });
    expect(yields).toBe(3);
    expect(pool.size).toBe(5_001);
    // The admin API removes a key while the reload is between two slices: the reload's plan
    // is stale, made again at once, and the removal stands (the listed keys did not change).
    const gone = fingerprint(keys[10]!);
    let removedMidway = false;
    const result = await pool.setKeysSliced([...keys.filter((_, i) => i !== 10), 'sliced-new-key-0001'], undefined, async () => {
      if (!removedMidway) removedMidway = pool.removeKey(gone);
    });
    expect(removedMidway).toBe(true);
    expect(result).toEqual({ added: 0, removed: 0 });
    expect(pool.view(gone)).toBeUndefined();
    expect(pool.size).toBe(5_000);
  });
});
