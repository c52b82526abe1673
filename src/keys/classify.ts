/**
 * What an upstream answer says about the key that got it: the taxonomy key-pool users
 * ask for. Pure: (status, settings) → verdict; the pool applies it.
 */
export type KeyVerdict =
  /** 2xx: the key works. */
  | 'success'
  /** 402: the key's quota is spent for good. */
  | 'retire'
  /** 401 / 403: the key is invalid or revoked. */
  | 'disable'
  /** 429: the key is rate limited; rest until Retry-After. */
  | 'cooldown'
  /** 5xx, 408, no answer: maybe the key, maybe the upstream; rest after repeated failures. */
  | 'transient'
  /** 400 / 404 / 413 / 422 …: the client's mistake; no penalty, no retry. */
  | 'client_error';

export interface Classification {
  verdict: KeyVerdict;
  /** Whether another key may succeed where this one failed. */
  failover: boolean;
}

export function classifyStatus(status: number, removeOn402: boolean): Classification {
  if (status >= 200 && status < 300) return { verdict: 'success', failover: false };
  if (status === 402) return { verdict: removeOn402 ? 'retire' : 'cooldown', failover: true };
  if (status === 401 || status === 403) return { verdict: 'disable', failover: true };
  if (status === 429) return { verdict: 'cooldown', failover: true };
  if (status === 0 || status === 408 || status >= 500) return { verdict: 'transient', failover: true };
  return { verdict: 'client_error', failover: false };
}
