import cluster from 'node:cluster';
import { unwatchFile, watchFile } from 'node:fs';
import { isPrimaryMessage } from './cluster/messages.js';
import { ClusterStore } from './state/cluster-store.js';
import type { FastifyBaseLogger } from 'fastify';
import type { Settings } from './config/load.js';
import type { Dialect } from './dialects/dialect.js';
import { DIALECTS, servedDialects } from './dialects/registry.js';
import type { FetchAllowance } from './keys/allowance/fetch.js';
import { createAllowancePoller } from './keys/allowance/wiring.js';
import type { CredentialSource } from './keys/credential.js';
import { createCredentials } from './keys/sources.js';
import { importV2State } from './config/v2-layout.js';
import { systemClock, systemIds, systemRandom, type Clock, type Ids, type Random } from './runtime/clock.js';
import type { Services } from './services.js';
import { RequestObservers } from './observability/request-record.js';
import { openHistory } from './history/open-history.js';
import { HistoryRecorder } from './history/recorder.js';
import { startTracing } from './observability/tracing.js';
import { Presence } from './observability/presence.js';
import { VERSION } from './version.js';
import { tightenDataDir } from './state/data-dir.js';
import { openStore } from './state/open-store.js';
import { UpstreamClient } from './upstream/client.js';
import { ClientIdentity } from './upstream/client-identity.js';
import { RetiredModelNotices } from './pipeline/retired-models.js';
import { KeywordFilter } from './filter/keyword-filter.js';
import { resolve } from 'node:path';
import { createClients } from './clients/wiring.js';
import { CLIENTS_VALUE } from './clients/registry.js';

export interface ServiceOverrides {
  clock: Clock;
  ids: Ids;
  random: Random;
  /** Replaces the credential source picked from the environment. */
  credentials: CredentialSource;
  /** Replaces the allowance checks against Factory's usage endpoints. */
  fetchAllowance: FetchAllowance;
  /** Dialects served beside the built-in ones (tests: a dialect is one folder). */
  extraDialects: readonly Dialect[];
}

/** How often finished requests are written to the history store. */
const HISTORY_FLUSH_MS = 5_000;

/** How often the keys file is checked for edits (hot reload). */
const KEYS_FILE_POLL_MS = 2_000;

/** The production set of services for given settings; tests override pieces. */
export async function createServices(settings: Settings, log: FastifyBaseLogger, overrides: Partial<ServiceOverrides> = {}): Promise<Services> {
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? systemRandom;
  const ids = overrides.ids ?? systemIds;
  // Whatever the store, DATA_DIR may hold tokens and retired keys: others must not read it.
  tightenDataDir(settings.dataDir, log);
  const shared = cluster.isWorker ? workerStore() : undefined;
  const store = shared ?? (await openStore({ kind: settings.store, dataDir: settings.dataDir, redis: settings.redis, log, clock }));
  if (!shared) await importV2State({ cwd: settings.cwd, dataDir: settings.dataDir, env: settings.env, store, now: clock.now(), warn: (msg) => log.warn(msg) });
  // The poller is made once the credentials exist; a 402 before that has nothing to tell it.
  const onQuotaAnswer = (fp: string) => services.allowance?.soon(fp);
  const keys = await createCredentials({ env: settings.env, cwd: settings.cwd, dataDir: settings.dataDir, config: settings.config, store, clock, random, log, onQuotaAnswer });
  await keys.refresh?.start();
  const historyStore = await openHistory({ kind: settings.store, dataDir: settings.dataDir, redis: settings.redis, usageRetentionDays: settings.usageRetentionDays });
  const requests = new RequestObservers();
  const recorder = new HistoryRecorder(historyStore, clock, log, HISTORY_FLUSH_MS);
  requests.add((record) => recorder.observe(record));
  const clients = await createClients({ settings, store, history: historyStore, clock, log, config: () => services.settings.config });
  requests.add((record) => clients.observe(record));
  clients.limits.onWriteHistory?.(() => recorder.flush());
  const services: Services = {
    settings,
    dialects: DIALECTS,
    served: servedDialects(overrides.extraDialects),
    upstream: new UpstreamClient({
      proxies: settings.config.proxies,
      headersTimeoutMs: settings.config.upstream_timeout_ms,
      idleTimeoutMs: settings.config.idle_timeout_ms,
      firstByteTimeoutMs: settings.config.first_byte_timeout_ms,
    }),
    credentials: overrides.credentials ?? keys.source,
    keys,
    store,
    clock,
    ids,
    random,
    log,
    requests,
    history: { store: historyStore, recorder },
    presence: new Presence(store.processes, clock, log, ids, VERSION),
    tracing: await startTracing(settings.env, VERSION),
    identity: new ClientIdentity(settings.config.user_agent),
    retiredModels: new RetiredModelNotices(),
    warnings: [],
    keywordFilter: new KeywordFilter(resolve(settings.cwd, settings.env.KEYWORDS_FILTER_FILE || 'keywords-filter.json'), log),
    clients,
  };
  services.keywordFilter.load();
  services.allowance = createAllowancePoller({ config: settings.config, store, clock, log, credentials: () => services.keys, fetch: overrides.fetchAllowance });
  // Another worker or replica changed the key sources (admin API, SIGHUP): reload ours too.
  store.onReload?.(() => void services.keys.reload().catch((err: unknown) => log.error({ err }, 'key reload failed')));
  // …and maybe the client keys (they are a named value of the store).
  store.onReload?.(() => void clients.registry.load());
  store.onValue?.((name, value) => {
    if (name === CLIENTS_VALUE) clients.registry.adoptValue(value);
  });
  return services;
}

/** In a WORKERS child: the primary's store, reached over IPC. */
function workerStore(): ClusterStore {
  // The primary may be gone (it exits when workers keep dying): a failed send must not crash.
  const store = new ClusterStore((msg) => process.send?.(msg, undefined, undefined, () => undefined));
  process.on('message', (msg: unknown) => {
    if (isPrimaryMessage(msg)) store.receive(msg);
  });
  return store;
}

/** Hot reload: an edited keys file updates the pool without a restart; returns the stop function. */
export function watchKeysFile(services: Services, intervalMs = KEYS_FILE_POLL_MS): () => void {
  // Watched whatever the mode: the admin API may switch a pool on later, and `services.keys`
  // is read at each change.
  const file = services.keys.keysFile;
  if (!file) return () => undefined;
  const onChange = () => {
    services.keys.reload().catch((err: unknown) => services.log.error({ err }, 'key reload failed'));
  };
  watchFile(file, { interval: intervalMs, persistent: false }, onChange);
  return () => unwatchFile(file, onChange);
}

/** Hot reload of keywords-filter.json, polled like the keys file; returns the stop function. */
export function watchFilterFile(services: Services, intervalMs = KEYS_FILE_POLL_MS): () => void {
  const file = services.keywordFilter.file;
  const onChange = () => services.keywordFilter.reload();
  watchFile(file, { interval: intervalMs, persistent: false }, onChange);
  return () => unwatchFile(file, onChange);
}

export async function closeServices(services: Services): Promise<void> {
  services.allowance?.stop();
  await services.presence.stop();
  await services.keys.refresh?.close();
  await services.upstream.close();
  await services.history.recorder.close();
  await services.clients.limits.close();
  await services.tracing?.close();
  await services.history.store.close();
  await services.store.close();
}
