import { describe, expect, it } from 'vitest';
import { budgetSpent, tokenBudget } from '../../../src/keys/allowance/budget.js';
import { ALLOWANCE_REST_REASON, allowanceExpiry, exhaustedUntil, pickExpiringFirst, recordForAllowance } from '../../../src/keys/allowance/decide.js';
import type { AllowanceWindow, KeyAllowance } from '../../../src/keys/allowance/types.js';
import { emptyKeyRecord, type KeyRecord } from '../../../src/state/store.js';

const NOW = 1_800_000_000_000;
const H = 3_600_000;
const allowance = (windows: AllowanceWindow[], overageAllowed = false): KeyAllowance => ({ checkedAt: NOW, windows, overageAllowed });
const w = (name: string, usedRatio: number, endsAt?: number, tokens?: { used: number; total: number }): AllowanceWindow => ({
  name,
  usedRatio,
  ...(endsAt !== undefined ? { endsAt } : {}),
  ...(tokens ? { usedTokens: tokens.used, totalTokens: tokens.total } : {}),
});

describe('exhaustedUntil', () => {
  it.each<[string, KeyAllowance, number | undefined]>([
    ['a spent standard window rests until it ends', allowance([w('standard', 1, NOW + H)]), NOW + H],
    ['a spent percent window rests until it ends', allowance([w('standard.fiveHour', 1.02, NOW + 2 * H)]), NOW + 2 * H],
    ['two spent windows rest until the later end', allowance([w('standard.fiveHour', 1, NOW + H), w('standard.weekly', 1, NOW + 5 * H)]), NOW + 5 * H],
    ['a window with some left does not', allowance([w('standard', 0.99, NOW + H)]), undefined],
    ['a spent premium window does not (standard models still work)', allowance([w('premium', 1, NOW + H)]), undefined],
    ['overage allowed does not', allowance([w('standard', 1, NOW + H)], true), undefined],
    ['a spent window without an end does not', allowance([w('standard', 1)]), undefined],
    ['a spent window already over does not', allowance([w('standard', 1, NOW - 1)]), undefined],
    ['nothing known does not', allowance([]), undefined],
  ])('%s', (_name, a, expected) => {
    expect(exhaustedUntil(a, NOW)).toBe(expected);
  });
});

describe('allowanceExpiry', () => {
  it.each<[string, KeyAllowance, number | undefined]>([
    ['the earliest end of a window with some left', allowance([w('standard.weekly', 0.2, NOW + 5 * H), w('standard.fiveHour', 0.5, NOW + H)]), NOW + H],
    ['spent windows are skipped', allowance([w('standard.fiveHour', 1, NOW + H), w('standard.weekly', 0.2, NOW + 5 * H)]), NOW + 5 * H],
    ['premium is skipped', allowance([w('premium', 0.1, NOW + H)]), undefined],
    ['unknown ends give nothing', allowance([w('standard', 0.1)]), undefined],
  ])('%s', (_name, a, expected) => {
    expect(allowanceExpiry(a, NOW)).toBe(expected);
  });
});

describe('recordForAllowance', () => {
  const active = emptyKeyRecord('aa');
  const cooling = (reason: string, until: number): KeyRecord => ({ ...active, status: 'cooling', reason, coolingUntil: until });
  it.each<[string, KeyRecord, number | undefined, Partial<KeyRecord> | undefined]>([
    ['an active key rests until the window ends', active, NOW + H, { status: 'cooling', coolingUntil: NOW + H, reason: ALLOWANCE_REST_REASON }],
    ['a key cooling for a shorter 429 rests longer', cooling('HTTP 429', NOW + 1000), NOW + H, { status: 'cooling', coolingUntil: NOW + H }],
    ['a key already resting as long is left alone', cooling(ALLOWANCE_REST_REASON, NOW + H), NOW + H, undefined],
    ['a retired key stays retired', { ...active, status: 'retired' }, NOW + H, undefined],
    ['a disabled key stays disabled', { ...active, status: 'disabled' }, NOW + H, undefined],
    ['a key resting for its allowance comes back when allowance is found', cooling(ALLOWANCE_REST_REASON, NOW + H), undefined, { status: 'active', coolingUntil: undefined }],
    ['a key cooling for a 429 keeps cooling', cooling('HTTP 429', NOW + 1000), undefined, undefined],
  ])('%s', (_name, record, restUntil, expected) => {
    const next = recordForAllowance(record, restUntil, NOW);
    if (expected === undefined) expect(next).toBeUndefined();
    else expect(next).toMatchObject(expected);
  });
});

describe('pickExpiringFirst', () => {
  const fallback = (cs: readonly string[]) => cs[cs.length - 1]!;
  const expiries: Record<string, number | undefined> = { a: NOW + 5 * H, b: NOW + H, c: undefined, d: NOW + H, e: NOW - 1 };
  it.each<[string, string[], string]>([
    ['the soonest-expiring key', ['a', 'b', 'c'], 'b'],
    ['the fallback among keys expiring together', ['a', 'b', 'd'], 'd'],
    ['the fallback over all when no expiry is known', ['c', 'e'], 'e'],
    ['a known expiry before unknown ones', ['c', 'a'], 'a'],
  ])('%s', (_name, candidates, expected) => {
    expect(pickExpiringFirst(candidates, (c) => expiries[c], NOW, fallback)).toBe(expected);
  });
});

describe('token budget', () => {
  const record = { ...emptyKeyRecord('aa'), tokensIn: 500, tokensOut: 100 };
  it('is the smallest token window left, spent down by the tokens counted since', () => {
    const budget = tokenBudget(allowance([w('standard', 0.9, NOW + H, { used: 900, total: 1000 })]), record, NOW)!;
    expect(budget).toEqual({ left: 100, countedAtCheck: 600, endsAt: NOW + H });
    expect(budgetSpent(budget, { ...record, tokensIn: 599 }, NOW)).toBeUndefined();
    expect(budgetSpent(budget, { ...record, tokensIn: 600 }, NOW)).toBe(NOW + H);
    expect(budgetSpent(budget, { ...record, tokensIn: 600 }, NOW + H)).toBeUndefined();
  });
  it('is none with overage, without token counts, or already spent', () => {
    expect(tokenBudget(allowance([w('standard', 0.5, NOW + H, { used: 5, total: 10 })], true), record, NOW)).toBeUndefined();
    expect(tokenBudget(allowance([w('standard.fiveHour', 0.5, NOW + H)]), record, NOW)).toBeUndefined();
    expect(tokenBudget(allowance([w('standard', 1, NOW + H, { used: 10, total: 10 })]), record, NOW)).toBeUndefined();
  });
});
