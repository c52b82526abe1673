import type { ConfigFile } from '../../config/schema.js';
import type { Clock } from '../../runtime/clock.js';
import type { StateStore } from '../../state/store.js';
import type { Credentials } from '../sources.js';
import { factoryAllowanceFetcher, type FetchAllowance } from './fetch.js';
import { AllowancePoller, type AllowanceTarget } from './poller.js';

export interface AllowanceWiring {
  config: ConfigFile;
  store: StateStore;
  clock: Clock;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** The credential set-up, read at each use (the admin API may switch a pool on later). */
  credentials: () => Credentials;
  /** Replaces the fetch from Factory's endpoints (tests). */
  fetch?: FetchAllowance;
}

/** The credentials whose allowance is checked: the pool's keys, else the refresh-token account. */
function targetsOf(keys: Credentials): AllowanceTarget[] {
  if (keys.pool) return keys.pool.authorizations().map(({ fingerprint, authorization }) => ({ fingerprint, authorization: async () => authorization }));
  const refresh = keys.refresh;
  if (!refresh) return [];
  return [{ fingerprint: refresh.fingerprint, authorization: async () => (await refresh.acquire({})).authorization }];
}

/** The allowance poller of one gateway, wired to its config, store and key pool. */
export function createAllowancePoller(w: AllowanceWiring): AllowancePoller {
  const { config } = w;
  const interval = config.usage_check_interval;
  return new AllowancePoller({
    store: w.store,
    clock: w.clock,
    log: w.log,
    // Interval 0: no periodic checks; after a 402 and on demand only.
    intervalMs: interval > 0 ? interval * 1000 : Number.MAX_SAFE_INTEGER / 4,
    ratePerSecond: config.usage_check_rate,
    fetch: w.fetch ?? factoryAllowanceFetcher({ endpoints: config.usage_endpoints, userAgent: config.user_agent, clock: w.clock }),
    targets: () => targetsOf(w.credentials()),
    apply: (fp, allowance) => w.credentials().pool?.applyAllowance(fp, allowance),
  });
}
