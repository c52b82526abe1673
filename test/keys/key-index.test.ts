import { describe, expect, it } from 'vitest';
import { freshRuntime } from '../../src/keys/health.js';
import { KeyIndex, type PoolKey } from '../../src/keys/key-index.js';
import { emptyKeyRecord, type KeyStatus } from '../../src/state/store.js';

const key = (name: string, order: number, status: KeyStatus = 'active'): PoolKey => ({
  secret: `secret-${name}`,
  fingerprint: name,
  order,
  record: { ...emptyKeyRecord(name), status },
  runtime: freshRuntime(),
});

const names = (keys: readonly PoolKey[]) => keys.map((k) => k.fingerprint);

function setStatus(index: KeyIndex, k: PoolKey, status: KeyStatus): void {
  const before = k.record;
  k.record = { ...k.record, status };
  index.recordChanged(k, before);
}

describe('KeyIndex', () => {
  it('keeps the keys in service in pool order as statuses change', () => {
    const index = new KeyIndex();
    const keys = ['a', 'b', 'c', 'd', 'e'].map((n, i) => key(n, i, n === 'c' ? 'retired' : 'active'));
    index.replace(keys);
    expect(names(index.inService)).toEqual(['a', 'b', 'd', 'e']);
    setStatus(index, keys[3]!, 'disabled');
    setStatus(index, keys[0]!, 'cooling');
    expect(names(index.inService)).toEqual(['a', 'b', 'e']);
    setStatus(index, keys[2]!, 'active');
    setStatus(index, keys[3]!, 'active');
    expect(names(index.inService)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('adds at the end and removes from the middle, renumbering the keys after it', () => {
    const index = new KeyIndex();
    index.replace(['a', 'b', 'c'].map((n, i) => key(n, i, n === 'a' ? 'retired' : 'active')));
    index.add(key('d', 99));
    expect(index.byFingerprint('d')!.order).toBe(3);
    expect(index.remove('b')!.fingerprint).toBe('b');
    expect(index.all.map((k) => [k.fingerprint, k.order])).toEqual([['a', 0], ['c', 1], ['d', 2]]);
    expect(names(index.inService)).toEqual(['c', 'd']);
    expect(index.bySecret('secret-b')).toBeUndefined();
    expect(index.remove('b')).toBeUndefined();
    expect(index.servicePosition(2)).toBe(1);
  });

  it('edits its lookups on a reload: keys kept stay found, keys gone are forgotten', () => {
    const index = new KeyIndex();
    const [a, b, c] = ['a', 'b', 'c'].map((n, i) => key(n, i));
    index.replace([a!, b!, c!]);
    const d = key('d', 2);
    c!.order = 1;
    index.replace([a!, c!, d]);
    expect(index.byFingerprint('b')).toBeUndefined();
    expect(index.bySecret('secret-b')).toBeUndefined();
    expect(index.byFingerprint('c')).toBe(c);
    expect(index.bySecret('secret-d')).toBe(d);
    expect(names(index.inService)).toEqual(['a', 'c', 'd']);
  });
});
