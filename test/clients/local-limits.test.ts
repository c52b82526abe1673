/** The in-process counts behind every limit: the rolling minute, the UTC day and month, requests in flight. */
import { describe, expect, it } from 'vitest';
import { LocalLimits } from '../../src/clients/local-limits.js';

const T0 = Date.UTC(2026, 11, 31, 23, 59, 0, 500);

describe('LocalLimits', () => {
  it('rpm is a rolling minute: a request leaves it 60 s after its second, Retry-After says when', () => {
    const l = new LocalLimits();
    expect(l.admit('c', { rpm: 2 }, T0)).toBeUndefined();
    expect(l.admit('c', { rpm: 2 }, T0 + 10_000)).toBeUndefined();
    expect(l.admit('c', { rpm: 2 }, T0 + 20_000)).toEqual({ limit: 'rpm', value: 2, retryAfterMs: 39_500 });
    expect(l.admit('c', { rpm: 2 }, T0 + 59_499)).toMatchObject({ limit: 'rpm' });
    expect(l.admit('c', { rpm: 2 }, T0 + 59_500)).toBeUndefined();
  });

  it('tpm counts the tokens of finished requests in the last minute', () => {
    const l = new LocalLimits();
    expect(l.admit('c', { tpm: 100 }, T0)).toBeUndefined();
    l.finish('c', 100, T0 + 1_000);
    expect(l.admit('c', { tpm: 100 }, T0 + 2_000)).toMatchObject({ limit: 'tpm', value: 100, retryAfterMs: 58_500 });
    expect(l.admit('c', { tpm: 100 }, T0 + 61_000)).toBeUndefined();
  });

  it('day and month limits start again at the UTC midnight and the 1st, Retry-After until then', () => {
    const l = new LocalLimits();
    l.admit('c', {}, T0);
    l.finish('c', 50, T0);
    expect(l.admit('c', { tokens_per_day: 50 }, T0)).toEqual({ limit: 'tokens_per_day', value: 50, retryAfterMs: 59_500 });
    expect(l.admit('c', { tokens_per_month: 50 }, T0)).toEqual({ limit: 'tokens_per_month', value: 50, retryAfterMs: 59_500 });
    // 2027-01-01: a new day and a new month.
    expect(l.admit('c', { tokens_per_day: 50, tokens_per_month: 50 }, T0 + 60_000)).toBeUndefined();
    expect(l.usage('c', T0 + 60_000)).toMatchObject({ today: { requests: 1, tokens: 0 }, month: { requests: 1, tokens: 0 } });
  });

  it('concurrency counts requests until they finish', () => {
    const l = new LocalLimits();
    expect(l.admit('c', { concurrency: 2 }, T0)).toBeUndefined();
    expect(l.admit('c', { concurrency: 2 }, T0)).toBeUndefined();
    expect(l.admit('c', { concurrency: 2 }, T0)).toEqual({ limit: 'concurrency', value: 2, retryAfterMs: 1000 });
    expect(l.usage('c', T0).in_flight).toBe(2);
    l.finish('c', 0, T0);
    expect(l.admit('c', { concurrency: 2 }, T0)).toBeUndefined();
  });

  it('a refused request is not counted', () => {
    const l = new LocalLimits();
    l.admit('c', { rpm: 1 }, T0);
    for (let i = 0; i < 5; i++) l.admit('c', { rpm: 1 }, T0);
    expect(l.usage('c', T0)).toMatchObject({ minute: { requests: 1 }, today: { requests: 1 }, in_flight: 1 });
  });

  it('seeded usage counts in its day, month and minute', () => {
    const l = new LocalLimits();
    l.seedPeriods('c', T0 - 3_600_000, 3, 300, T0);
    l.seedPeriods('c', T0 - 40 * 86_400_000, 9, 900, T0);
    l.seedWindow('c', T0 - 30_000, 2, 20, T0);
    l.seedWindow('c', T0 - 90_000, 5, 50, T0);
    expect(l.usage('c', T0)).toMatchObject({ minute: { requests: 2, tokens: 20 }, today: { requests: 3, tokens: 300 }, month: { requests: 3, tokens: 300 } });
  });
});
