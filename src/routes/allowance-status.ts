import { limitsEveryModel, type KeyAllowance } from '../keys/allowance/types.js';

/** One window of a key as /status.json shows it. */
export interface AllowanceWindowView {
  name: string;
  usedPercent: number;
  usedTokens?: number;
  totalTokens?: number;
  leftTokens?: number;
  /** Epoch ms at which the window resets. */
  endsAt?: number;
}

/** A key's allowance on /status.json: `unknown` when Factory's endpoints gave nothing, `unchecked` before the first check. */
export interface AllowanceView {
  state: 'known' | 'unknown' | 'unchecked';
  checkedAt?: number;
  windows: AllowanceWindowView[];
  overageAllowed: boolean;
  problem?: string;
}

export interface AllowanceTotals {
  /** Tokens left in the current token-counted windows (standard allowance) of every key known. */
  tokensLeft: number;
  keysKnown: number;
  keysUnknown: number;
  keysUnchecked: number;
  /** The soonest window resets ahead, earliest first: when, and which keys. */
  nextResets: Array<{ at: number; keys: string[] }>;
}

const NEXT_RESETS = 5;

/** A window with its end passed says nothing about now: it is shown without its counts until the next check. */
function windowView(name: string, w: KeyAllowance['windows'][number], now: number): AllowanceWindowView {
  const over = w.endsAt !== undefined && w.endsAt <= now;
  const usedPercent = over ? 0 : Math.round(w.usedRatio * 10_000) / 100;
  const view: AllowanceWindowView = { name, usedPercent };
  if (w.totalTokens !== undefined) {
    view.totalTokens = w.totalTokens;
    view.usedTokens = over ? 0 : (w.usedTokens ?? Math.round(w.usedRatio * w.totalTokens));
    view.leftTokens = Math.max(0, w.totalTokens - view.usedTokens);
  }
  if (w.endsAt !== undefined) view.endsAt = w.endsAt;
  return view;
}

export function allowanceView(allowance: KeyAllowance | undefined, now: number): AllowanceView {
  if (!allowance) return { state: 'unchecked', windows: [], overageAllowed: false };
  const windows = allowance.windows.map((w) => windowView(w.name, w, now));
  return {
    state: windows.length > 0 ? 'known' : 'unknown',
    checkedAt: allowance.checkedAt,
    windows,
    overageAllowed: allowance.overageAllowed,
    ...(allowance.problem !== undefined ? { problem: allowance.problem } : {}),
  };
}

export function allowanceTotals(keys: ReadonlyArray<{ fingerprint: string; allowance: AllowanceView }>, now: number): AllowanceTotals {
  const totals: AllowanceTotals = { tokensLeft: 0, keysKnown: 0, keysUnknown: 0, keysUnchecked: 0, nextResets: [] };
  const resets = new Map<number, string[]>();
  for (const { fingerprint, allowance } of keys) {
    if (allowance.state === 'known') totals.keysKnown++;
    else if (allowance.state === 'unknown') totals.keysUnknown++;
    else totals.keysUnchecked++;
    for (const w of allowance.windows) {
      if (w.leftTokens !== undefined && limitsEveryModel(w)) totals.tokensLeft += w.leftTokens;
      if (w.endsAt !== undefined && w.endsAt > now) {
        const list = resets.get(w.endsAt) ?? [];
        if (!list.includes(fingerprint)) list.push(fingerprint);
        resets.set(w.endsAt, list);
      }
    }
  }
  totals.nextResets = [...resets].sort((a, b) => a[0] - b[0]).slice(0, NEXT_RESETS).map(([at, list]) => ({ at, keys: list }));
  return totals;
}
