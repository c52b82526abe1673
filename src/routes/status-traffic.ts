import type { Dimension } from '../history/counts.js';
import { isErrorDimension } from '../history/history-store.js';
import { readRange, summarise, toSeries, totalsByValue, type HistorySeries, type RangeName, type TrafficSummary } from '../history/summary.js';
import type { Services } from '../services.js';
import type { ConfigurationSection, ProcessSeen } from '../web/status-wire.js';

export type { ConfigurationSection } from '../web/status-wire.js';

/** The traffic sections of /status.json: per client route, upstream endpoint and model, over a range. */
export interface TrafficSections {
  range: RangeName;
  endpoints: { routes: TrafficSummary[]; upstreams: TrafficSummary[] };
  models: TrafficSummary[];
}

/** A dimension's rows over the range, each with its last error as the history store keeps it (shared by every process). */
async function summaries(services: Services, range: RangeName, dimension: Dimension, now: number): Promise<TrafficSummary[]> {
  const store = services.history.store;
  const [rows, lastErrors] = await Promise.all([
    readRange(store, range, dimension, now),
    isErrorDimension(dimension) ? store.lastErrors(dimension) : undefined,
  ]);
  return [...totalsByValue(rows)].map(([name, counts]) => summarise(name, counts, lastErrors?.get(name)));
}

export async function trafficSections(services: Services, range: RangeName): Promise<TrafficSections> {
  const now = services.clock.now();
  const [routes, upstreams, models] = await Promise.all([
    summaries(services, range, 'route', now),
    summaries(services, range, 'endpoint', now),
    summaries(services, range, 'model', now),
  ]);
  return { range, endpoints: { routes, upstreams }, models };
}

export function configurationSection(services: Services, keysByState: Record<string, number>, processes: ProcessSeen[] | null): ConfigurationSection {
  const { config, store, env } = services.settings;
  return {
    credentialMode: services.keys.pool ? 'key pool' : services.keys.refresh ? 'refresh token' : 'client authorization',
    rotation: config['round-robin'],
    removeOn402: config.remove_on_402,
    maxAttempts: config.max_attempts,
    sessionAffinity: config.session_affinity,
    store,
    workers: env.WORKERS || '1',
    processes,
    keysByState,
  };
}

export async function historySeries(services: Services, range: RangeName, dimension: Dimension): Promise<HistorySeries> {
  const now = services.clock.now();
  return toSeries(await readRange(services.history.store, range, dimension, now), range, dimension, now);
}
