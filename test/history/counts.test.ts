import { describe, expect, it } from 'vitest';
import { LATENCY_BUCKETS, latencyBucket, quantileMs } from '../../src/history/counts.js';

function hist(entries: Record<number, number>): number[] {
  const h = new Array<number>(LATENCY_BUCKETS).fill(0);
  for (const [i, n] of Object.entries(entries)) h[Number(i)] = n;
  return h;
}

describe('latency histograms', () => {
  it.each([
    [0, 0], [50, 0], [51, 1], [100, 1], [999, 4], [1000, 4], [300000, 12], [300001, 13], [10_000_000, 13],
  ])('puts %i ms in bucket %i', (ms, bucket) => {
    expect(latencyBucket(ms)).toBe(bucket);
  });

  it('reads no quantile from an empty histogram', () => {
    expect(quantileMs(hist({}), 0.5)).toBeUndefined();
  });

  it('interpolates within the bucket, as histogram_quantile does', () => {
    // 10 answers in (500, 1000]: the median is half-way.
    expect(quantileMs(hist({ 4: 10 }), 0.5)).toBe(750);
    // 90 fast (≤ 50 ms) and 10 slow in (1000, 2000]: p95 is in the slow bucket's middle.
    expect(quantileMs(hist({ 0: 90, 5: 10 }), 0.95)).toBe(1500);
    expect(quantileMs(hist({ 0: 90, 5: 10 }), 0.5)).toBe(28);
  });

  it('answers the lower edge for the open last bucket', () => {
    expect(quantileMs(hist({ 13: 3 }), 0.95)).toBe(300000);
  });
});
