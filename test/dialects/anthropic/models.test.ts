import { describe, expect, it } from 'vitest';
import { adaptiveEffort, effortForBudget, thinkingStyle } from '../../../src/dialects/anthropic/maps.js';

describe('thinkingStyle', () => {
  it.each([
    ['claude-sonnet-4-5-20250929', 'budget'],
    ['claude-opus-4-5-20251101', 'budget'],
    ['claude-haiku-4-5-20251001', 'budget'],
    ['claude-opus-4-1-20250805', 'budget'],
    ['claude-opus-4-20250514', 'budget'],
    ['claude-3-7-sonnet-20250219', 'budget'],
    ['claude-opus-4-6', 'adaptive'],
    ['claude-opus-4-6-fast', 'adaptive'],
    ['claude-sonnet-4-6', 'adaptive'],
    ['claude-opus-4-7', 'adaptive-only'],
    ['claude-opus-4-8', 'adaptive-only'],
    ['claude-opus-5', 'adaptive-only'],
    ['claude-sonnet-5-5', 'adaptive-only'],
    ['claude-mythos-preview', 'adaptive-only'],
    ['claude-mythos-5-1', 'adaptive-only'],
    ['claude-fable-5', 'adaptive-only'],
    ['minimax-m2.5', 'budget'],
    ['', 'budget'],
  ])('%s thinks with %s', (model, style) => {
    expect(thinkingStyle(model)).toBe(style);
  });
});

describe('adaptiveEffort and effortForBudget', () => {
  it('maps IR efforts to output_config.effort; xhigh is xhigh from 4.7 on and max on 4.6', () => {
    expect(['none', 'minimal', 'low', 'medium', 'high', 'xhigh'].map((e) => adaptiveEffort(e as never, 'adaptive-only'))).toEqual([
      undefined,
      'low',
      'low',
      'medium',
      'high',
      'xhigh',
    ]);
    expect(adaptiveEffort('xhigh', 'adaptive')).toBe('max');
  });

  it('reads a budget as low up to 4096 tokens, medium up to 16384, high above', () => {
    expect([1024, 4096, 4097, 16384, 16385, 64000].map(effortForBudget)).toEqual(['low', 'low', 'medium', 'medium', 'high', 'high']);
  });
});
