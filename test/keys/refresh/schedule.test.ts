import { describe, expect, it } from 'vitest';
import { backoffMs, isUsable, MAX_TOKEN_AGE_MS, proactiveRefreshAt, secondsUntil } from '../../../src/keys/refresh/schedule.js';

describe('refresh schedule', () => {
  it.each([
    [1, 1_000],
    [2, 2_000],
    [3, 4_000],
    [8, 128_000],
    [9, 256_000],
    [10, 300_000],
    [1_000, 300_000],
  ])('waits %i failure(s) → %i ms before the next attempt', (failures, ms) => {
    expect(backoffMs(failures)).toBe(ms);
  });

  it('hands out a token until it is 6 hours old or refused', () => {
    const token = { value: 'a', obtainedAt: 1_000, stale: false };
    expect(isUsable(token, 1_000 + MAX_TOKEN_AGE_MS - 1)).toBe(true);
    expect(isUsable(token, 1_000 + MAX_TOKEN_AGE_MS)).toBe(false);
    expect(isUsable({ ...token, stale: true }, 1_000)).toBe(false);
    expect(isUsable(undefined, 1_000)).toBe(false);
  });

  it('refreshes proactively before the token reaches 6 hours', () => {
    expect(proactiveRefreshAt(0)).toBeLessThan(MAX_TOKEN_AGE_MS);
    expect(proactiveRefreshAt(0)).toBeGreaterThan(MAX_TOKEN_AGE_MS - 3_600_000);
  });

  it('rounds Retry-After up to whole seconds, at least 1', () => {
    expect(secondsUntil(1_500, 0)).toBe(2);
    expect(secondsUntil(0, 10)).toBe(1);
  });
});
