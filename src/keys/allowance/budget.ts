import type { KeyRecord } from '../../state/store.js';
import { limitsEveryModel, type KeyAllowance } from './types.js';

/**
 * The tokens a key had left at its last check, in the smallest token-counted window that
 * limits every model, and the key's own token counters then. The answers counted since
 * spend it down, so the pool rests the key when it is used up rather than wait for Factory's
 * 402 (which retires it) or for the next check.
 */
export interface TokenBudget {
  readonly left: number;
  readonly countedAtCheck: number;
  /** When the window resets (the rest ends then). */
  readonly endsAt: number;
}

const counted = (r: KeyRecord) => r.tokensIn + r.tokensOut;

export function tokenBudget(allowance: KeyAllowance, record: KeyRecord, now: number): TokenBudget | undefined {
  if (allowance.overageAllowed) return undefined;
  let budget: TokenBudget | undefined;
  for (const w of allowance.windows) {
    if (!limitsEveryModel(w) || w.totalTokens === undefined || w.endsAt === undefined || w.endsAt <= now) continue;
    const left = w.totalTokens - (w.usedTokens ?? w.usedRatio * w.totalTokens);
    if (left > 0 && (budget === undefined || left < budget.left)) budget = { left, countedAtCheck: counted(record), endsAt: w.endsAt };
  }
  return budget;
}

/** Until when the key rests because the answers since the check spent its budget; undefined while some is left. */
export function budgetSpent(budget: TokenBudget, record: KeyRecord, now: number): number | undefined {
  if (budget.endsAt <= now) return undefined;
  return counted(record) - budget.countedAtCheck >= budget.left ? budget.endsAt : undefined;
}
