import { describe, expect, it } from 'vitest';
import { parseBillingLimits, parseChatUsage } from '../../../src/keys/allowance/parse.js';

const NOW = 1_800_000_000_000;

describe('parseChatUsage', () => {
  const usage = (standard: unknown, endDate: unknown = NOW + 3_600_000) => ({ usage: { startDate: NOW - 1000, endDate, standard, premium: { userTokens: 5, totalAllowance: 10, usedRatio: 0.5 } } });

  it.each([
    ['epoch ms', NOW + 3_600_000],
    ['epoch seconds', (NOW + 3_600_000) / 1000],
    ['ISO text', new Date(NOW + 3_600_000).toISOString()],
    ['digits as text', String(NOW + 3_600_000)],
  ])('reads the window end given as %s', (_name, endDate) => {
    const parsed = parseChatUsage(usage({ userTokens: 250, totalAllowance: 1000, usedRatio: 0.25 }, endDate));
    expect(parsed?.windows[0]).toEqual({ name: 'standard', usedRatio: 0.25, usedTokens: 250, totalTokens: 1000, endsAt: NOW + 3_600_000 });
    expect(parsed?.windows[1]?.name).toBe('premium');
  });

  it('reads a standard window alone (no premium member)', () => {
    expect(parseChatUsage({ usage: { endDate: NOW, standard: { userTokens: 1, totalAllowance: 4 } } })?.windows).toEqual([
      { name: 'standard', usedRatio: 0.25, usedTokens: 1, totalTokens: 4, endsAt: NOW },
    ]);
  });

  it('computes the ratio from the tokens when usedRatio is missing', () => {
    expect(parseChatUsage(usage({ userTokens: 300, totalAllowance: 1200 }))?.windows[0]?.usedRatio).toBe(0.25);
  });

  it('sees overage when the org has overage left', () => {
    expect(parseChatUsage(usage({ userTokens: 10, totalAllowance: 10, orgOverageLimit: 100, orgOverageUsed: 5 }))?.overageAllowed).toBe(true);
    expect(parseChatUsage(usage({ userTokens: 10, totalAllowance: 10, orgOverageLimit: 100, orgOverageUsed: 100 }))?.overageAllowed).toBe(false);
  });

  it.each([
    ['no usage member', { standard: {} }],
    ['usage of the wrong type', { usage: 'lots' }],
    ['sides without counts', { usage: { standard: { foo: 1 }, premium: 'x' } }],
    ['negative tokens', { usage: { standard: { userTokens: -1, totalAllowance: 10 } } }],
    ['not an object', 'HTML error page'],
  ])('gives nothing for %s', (_name, body) => {
    expect(parseChatUsage(body)).toBeUndefined();
  });
});

describe('parseBillingLimits', () => {
  it('reads every plan and period, skipping a window that does not parse', () => {
    const parsed = parseBillingLimits(
      {
        usesTokenRateLimitsBilling: true,
        limits: { standard: { fiveHour: { usedPercent: 40, windowEnd: NOW + 1000 }, weekly: { usedPercent: 'x' }, monthly: { usedPercent: 100, secondsRemaining: 60 } }, core: 'odd' },
        extraUsageAllowed: false,
      },
      NOW,
    );
    expect(parsed).toEqual({
      windows: [
        { name: 'standard.fiveHour', usedRatio: 0.4, endsAt: NOW + 1000 },
        { name: 'standard.monthly', usedRatio: 1, endsAt: NOW + 60_000 },
      ],
      overageAllowed: false,
    });
  });

  it('allows overage only with extra usage allowed and a balance', () => {
    const limits = { standard: { weekly: { usedPercent: 100, windowEnd: NOW + 1000 } } };
    expect(parseBillingLimits({ limits, extraUsageAllowed: true, extraUsageBalanceCents: 500 }, NOW)?.overageAllowed).toBe(true);
    expect(parseBillingLimits({ limits, extraUsageAllowed: true, extraUsageBalanceCents: 0 }, NOW)?.overageAllowed).toBe(false);
  });

  it.each([
    ['no limits', { extraUsageAllowed: true }],
    ['limits without windows', { limits: { standard: {} } }],
    ['limits of the wrong type', { limits: [1, 2] }],
  ])('gives nothing for %s', (_name, body) => {
    expect(parseBillingLimits(body, NOW)).toBeUndefined();
  });
});
