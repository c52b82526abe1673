/** What Factory's usage endpoints said about one key, in the gateway's own terms. */

/** One accounting window of a key. */
export interface AllowanceWindow {
  /**
   * `standard` and `premium` come from chat-usage (the monthly token allowance);
   * `<plan>.<window>` from billing limits, e.g. `standard.fiveHour`, `core.weekly`.
   */
  readonly name: string;
  /** Share of the window's allowance spent: 1 = all of it (may exceed 1 with overage). */
  readonly usedRatio: number;
  /** Tokens spent and granted, when the endpoint counts tokens (chat-usage). */
  readonly usedTokens?: number;
  readonly totalTokens?: number;
  /** Epoch ms at which the window resets, when known. */
  readonly endsAt?: number;
}

export interface KeyAllowance {
  /** Epoch ms of the check. */
  readonly checkedAt: number;
  /** Empty when neither endpoint gave anything usable. */
  readonly windows: readonly AllowanceWindow[];
  /** The key may spend past its allowance (overage or extra usage), so a full window does not stop it. */
  readonly overageAllowed: boolean;
  /** Why nothing (or only part) is known, e.g. "chat-usage: HTTP 404; billing-limits: unexpected shape". */
  readonly problem?: string;
}

/** Windows that only limit some models (premium ones): a full one does not take the key out of service. */
export function limitsEveryModel(window: Pick<AllowanceWindow, 'name'>): boolean {
  return window.name !== 'premium';
}
