import type { FastifyBaseLogger } from 'fastify';
import type { Settings } from './config/load.js';
import type { Dialect } from './dialects/dialect.js';
import type { DialectId } from './dialects/ir.js';
import type { AllowancePoller } from './keys/allowance/poller.js';
import type { CredentialSource } from './keys/credential.js';
import type { Credentials } from './keys/sources.js';
import type { Clock, Ids, Random } from './runtime/clock.js';
import type { RequestObservers } from './observability/request-record.js';
import type { StateStore } from './state/store.js';
import type { HistoryStore } from './history/history-store.js';
import type { HistoryRecorder } from './history/recorder.js';
import type { Tracing } from './observability/tracing.js';
import type { UpstreamClient } from './upstream/client.js';
import type { ClientIdentity } from './upstream/client-identity.js';
import type { RetiredModelNotices } from './pipeline/retired-models.js';
import type { KeywordFilter } from './filter/keyword-filter.js';
import type { Clients } from './clients/clients.js';
import type { Presence } from './observability/presence.js';

/** The instances one gateway is built from; tests build their own. Nothing here is module state. */
export interface Services {
  settings: Settings;
  /** The dialects models use upstream, by id. */
  dialects: Readonly<Record<DialectId, Dialect>>;
  /** Every dialect clients can speak, by id: its profile's routes are served (routes/api.ts). */
  served: ReadonlyMap<string, Dialect>;
  upstream: UpstreamClient;
  credentials: CredentialSource;
  /** The credential set-up behind `credentials`: the key pool or refresh source, and reload. */
  keys: Credentials;
  store: StateStore;
  /** Checks each key's allowance with Factory; main.ts starts its periodic round. */
  allowance?: AllowancePoller;
  clock: Clock;
  ids: Ids;
  random: Random;
  log: FastifyBaseLogger;
  /** Told of every finished API request (metrics, the request log line, history). */
  requests: RequestObservers;
  /** Request history per minute and hour: the store, and what folds requests into it. */
  history: { store: HistoryStore; recorder: HistoryRecorder };
  /** This process's heartbeat in the store, and the workers or replicas seen by theirs (/status). */
  presence: Presence;
  /** OpenTelemetry traces, when an OTLP endpoint is configured. */
  tracing: Tracing | undefined;
  /** The Factory CLI version the gateway presents (user-agent, x-client-version). */
  identity: ClientIdentity;
  retiredModels: RetiredModelNotices;
  /** Risky choices found at start (config/exposure.ts), logged and shown to the admin on /status. */
  warnings: string[];
  /** v2's keywords-filter.json rules, applied to every client body (filter/). */
  keywordFilter: KeywordFilter;
  /** Client keys (admin API): who may call, which models, their limits. */
  clients: Clients;
}
