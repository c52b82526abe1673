import { isUsable } from '../keys/health.js';
import type { KeyView } from '../keys/pool.js';
import type { RefreshStats } from '../keys/refresh/refresh-source.js';
import type { KeyStatus } from '../state/store.js';
import type { Services } from '../services.js';
import type { FilterStatus } from '../filter/keyword-filter.js';
import { allowanceTotals, allowanceView, type AllowanceTotals, type AllowanceView } from './allowance-status.js';
import { keysPageOf, type KeysPage } from './status-page-query.js';
import type { ClientStatus } from '../web/status-wire.js';

export type { ClientStatus } from '../web/status-wire.js';

export const KEY_STATUSES: readonly KeyStatus[] = ['active', 'cooling', 'disabled', 'retired'];

export interface StatusKey extends KeyView {
  /** success / (success + failure); null before the key's first answer. */
  successRate: number | null;
  /** What Factory's usage endpoints last said about the key. */
  allowance: AllowanceView;
}

export interface StatusTotals {
  keys: number;
  active: number;
  cooling: number;
  disabled: number;
  retired: number;
  success: number;
  failure: number;
  tokensIn: number;
  tokensOut: number;
}

export interface StatusDocument {
  version: string;
  uptimeSeconds: number;
  /** Server time (epoch ms), so the page computes "ago" and countdowns without clock skew. */
  now: number;
  source: string;
  strategy: 'weighted' | 'simple' | 'expiring-first';
  removeOn402: boolean;
  /** One page of the keys (`keysPage`); `totals` counts them all. */
  keys: StatusKey[];
  keysPage: KeysPage;
  totals: StatusTotals;
  /** The pool's allowance: tokens left this window, keys known, the next resets. */
  allowance: AllowanceTotals;
  refresh?: RefreshStats & { allowance: AllowanceView };
  /** keywords-filter.json: whether it is on, and the matches per rule. */
  keywordFilter: FilterStatus;
  /** Risky start-up choices (config/exposure.ts), for the admin. */
  warnings: string[];
  /** Client keys with their limits and usage, for the admin; absent when the gateway has none. */
  clients?: ClientStatus[];
}

/**
 * The status a key is in for the pool right now: a cooling key whose rest is over is given
 * out again (it only turns active in the record at its next answer), so it counts as active.
 */
export function effectiveStatus(key: KeyView, now: number): KeyStatus {
  return key.status === 'cooling' && isUsable(key, now) ? 'active' : key.status;
}

export function successRate(key: Pick<KeyView, 'success' | 'failure'>): number | null {
  const total = key.success + key.failure;
  return total === 0 ? null : key.success / total;
}

export function statusTotals(keys: ReadonlyArray<Omit<StatusKey, 'allowance'>>): StatusTotals {
  const totals: StatusTotals = { keys: keys.length, active: 0, cooling: 0, disabled: 0, retired: 0, success: 0, failure: 0, tokensIn: 0, tokensOut: 0 };
  for (const k of keys) {
    totals[k.status] += 1;
    totals.success += k.success;
    totals.failure += k.failure;
    totals.tokensIn += k.tokensIn;
    totals.tokensOut += k.tokensOut;
  }
  return totals;
}

export function statusDocument(services: Services, version: string, startedAt: number, query?: unknown): StatusDocument {
  const now = services.clock.now();
  const allowanceOf = (fp: string) => allowanceView(services.allowance?.allowanceOf(fp), now);
  const keys = (services.keys.pool?.snapshot() ?? []).map(
    (k): StatusKey => ({ ...k, status: effectiveStatus(k, now), successRate: successRate(k), allowance: allowanceOf(k.fingerprint) }),
  );
  const keysPage = keysPageOf(query, keys.length);
  const { config } = services.settings;
  const source = services.keys.refresh;
  const refresh = source ? { ...source.stats(), allowance: allowanceOf(source.fingerprint) } : undefined;
  return {
    version,
    uptimeSeconds: Math.max(0, Math.floor((now - startedAt) / 1000)),
    now,
    source: services.credentials.describe(),
    strategy: config['round-robin'],
    removeOn402: config.remove_on_402,
    keys: keys.slice(keysPage.offset, keysPage.offset + keysPage.limit),
    keysPage,
    totals: statusTotals(keys),
    allowance: allowanceTotals(keys, now),
    ...(refresh ? { refresh } : {}),
    keywordFilter: services.keywordFilter.status(),
    warnings: services.warnings,
  };
}
