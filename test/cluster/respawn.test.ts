import { describe, expect, it } from 'vitest';
import { RespawnBudget, type RespawnPolicy } from '../../src/cluster/respawn.js';

const POLICY: RespawnPolicy = { baseDelayMs: 100, maxDelayMs: 1_000, maxFailures: 4, windowMs: 10_000, stableMs: 5_000 };

describe('respawn budget', () => {
  it('backs off exponentially while workers die young, then gives up', () => {
    const budget = new RespawnBudget(POLICY);
    expect([0, 1, 2].map((i) => budget.exited(1_000 + i, 10))).toEqual([
      { action: 'respawn', delayMs: 100 },
      { action: 'respawn', delayMs: 200 },
      { action: 'respawn', delayMs: 400 },
    ]);
    expect(budget.exited(1_010, 10)).toEqual({ action: 'give-up', failures: 4 });
  });

  it('caps the delay and forgets deaths older than the window', () => {
    const budget = new RespawnBudget({ ...POLICY, maxFailures: 100 });
    for (let i = 0; i < 5; i++) budget.exited(i, 10);
    expect(budget.exited(6, 10)).toEqual({ action: 'respawn', delayMs: 1_000 });
    expect(budget.exited(20_000, 10)).toEqual({ action: 'respawn', delayMs: 100 });
  });

  it('respawns a worker that ran for a while at once and starts counting again', () => {
    const budget = new RespawnBudget(POLICY);
    for (let i = 0; i < 3; i++) budget.exited(i, 10);
    expect(budget.exited(100, 60_000)).toEqual({ action: 'respawn', delayMs: 0 });
    expect(budget.exited(101, 10)).toEqual({ action: 'respawn', delayMs: 100 });
  });
});
