/**
 * The page's view of /status.json and /status/history.json: the fields it reads, as the
 * server writes them (src/routes/status-data.ts, status-traffic.ts, history/summary.ts).
 */
import type { ClientStatus, ConfigurationSection as Configuration, TrafficSummary } from '../status-wire.js';

export type { ClientStatus, Configuration, TrafficSummary };
export type KeyStatus = 'active' | 'cooling' | 'disabled' | 'retired';
export type RangeName = '1h' | '24h' | '7d';

export interface AllowanceWindow {
  name: string;
  usedPercent: number;
  leftTokens?: number;
  endsAt?: number;
}

export interface Allowance {
  state: 'known' | 'unknown' | 'unchecked';
  checkedAt?: number;
  windows: AllowanceWindow[];
  problem?: string;
}

export interface StatusKey {
  fingerprint: string;
  masked: string;
  status: KeyStatus;
  reason?: string;
  lastError?: string;
  changedAt?: number;
  coolingUntil?: number;
  lastUsed?: number;
  success: number;
  failure: number;
  successRate: number | null;
  byStatus: Record<string, number>;
  tokensIn: number;
  tokensOut: number;
  allowance?: Allowance;
}

export interface StatusDocument {
  version: string;
  uptimeSeconds: number;
  now: number;
  source: string;
  removeOn402: boolean;
  keys: StatusKey[];
  keysPage: { offset: number; limit: number; total: number };
  totals: { keys: number; active: number; cooling: number; disabled: number; retired: number; success: number; failure: number; tokensIn: number; tokensOut: number };
  allowance?: { keysKnown: number; tokensLeft: number; nextResets: Array<{ at: number; keys: string[] }> };
  refresh?: { refreshes: number; failures: number; lastRefreshAt?: number; lastError?: string };
  warnings: string[];
  configuration?: Configuration;
  range?: RangeName;
  endpoints?: { routes: TrafficSummary[]; upstreams: TrafficSummary[] };
  models?: TrafficSummary[];
  clients?: ClientStatus[];
}

export interface SeriesValues {
  requests: number[];
  errors: number[];
  successRate: Array<number | null>;
  tokens: number[];
  ttfbP95Ms: Array<number | null>;
}

export interface HistorySeries {
  range: RangeName;
  resolution: 'minute' | 'hour';
  dimension: string;
  /** Bucket starts, epoch seconds. */
  t: number[];
  series: Record<string, SeriesValues>;
}
