import { describe, expect, it } from 'vitest';
import { MIN_WEIGHT, nextInRotation, sampleWeighted } from '../../src/keys/select.js';
import { seededRandom } from '../support/fakes.js';

interface K {
  id: number;
  score: number;
  ready: boolean;
}

const pool = (n: number, f: (i: number) => Partial<K> = () => ({})): K[] => Array.from({ length: n }, (_, id) => ({ id, score: 1, ready: true, ...f(id) }));

function counting(isReady: (k: K) => boolean) {
  const counter = { calls: 0, isReady: (k: K) => (counter.calls++, isReady(k)) };
  return counter;
}

describe('selection over a large pool', () => {
  it('rotates from the cursor to the next ready key, looking only at the keys in between', () => {
    const keys = pool(10_000, (i) => ({ ready: i < 5_000 || i > 5_003 }));
    const c = counting((k) => k.ready);
    expect(nextInRotation(keys, 5_000, c.isReady)!.id).toBe(5_004);
    expect(c.calls).toBe(5);
    expect(nextInRotation(keys, 9_999, (k) => k.id === 3)!.id).toBe(3);
    expect(nextInRotation(keys, 0, () => false)).toBeUndefined();
  });

  it('draws a weighted key from 10,000 after looking at a handful of them', () => {
    const keys = pool(10_000);
    const c = counting((k) => k.ready);
    const random = seededRandom(7);
    for (let i = 0; i < 1_000; i++) expect(sampleWeighted(keys, c.isReady, (k) => k.score, random, 32)).toBeDefined();
    expect(c.calls).toBe(1_000);
  });

  it('draws in proportion to max(score, floor) over the ready keys only', () => {
    const keys: K[] = [
      { id: 0, score: 1, ready: true },
      { id: 1, score: 0.5, ready: true },
      { id: 2, score: 0, ready: true },
      { id: 3, score: 1, ready: false },
    ];
    const random = seededRandom(3);
    const hits = [0, 0, 0, 0];
    const draws = 200_000;
    for (let i = 0; i < draws; i++) hits[sampleWeighted(keys, (k) => k.ready, (k) => k.score, random, 1_000)!.id]! += 1;
    const total = 1 + 0.5 + MIN_WEIGHT;
    expect(hits[0]! / draws).toBeCloseTo(1 / total, 2);
    expect(hits[1]! / draws).toBeCloseTo(0.5 / total, 2);
    expect(hits[2]! / draws).toBeCloseTo(MIN_WEIGHT / total, 2);
    expect(hits[3]).toBe(0);
  });

  it('gives up after its tries when no key is ready, so the caller can tell why', () => {
    const c = counting(() => false);
    expect(sampleWeighted(pool(10), c.isReady, (k) => k.score, seededRandom(1), 32)).toBeUndefined();
    expect(c.calls).toBe(32);
  });
});
