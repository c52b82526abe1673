/**
 * Shapes that /status.json carries, written by the server and read by the status page's
 * browser modules (which import this file by type only, so it holds types and nothing else).
 */

/** The last error seen on a route or model, by any process sharing the history store. */
export interface LastError {
  at: number;
  status: number;
  code: string | undefined;
}

/** One row of the endpoints or models table. */
export interface TrafficSummary {
  name: string;
  requests: number;
  /** Answers that were not 4xx or 5xx, over all requests; null without requests. */
  successRate: number | null;
  errors4xx: number;
  errors5xx: number;
  failovers: number;
  ttfbP50Ms: number | null;
  ttfbP95Ms: number | null;
  totalP50Ms: number | null;
  totalP95Ms: number | null;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  streamsCut: number;
  lastError: LastError | null;
}

/** The configuration card: how the gateway is set up, at a glance (no secrets). */
export interface ConfigurationSection {
  credentialMode: string;
  rotation: string;
  removeOn402: boolean;
  maxAttempts: number;
  sessionAffinity: boolean;
  store: string;
  /** WORKERS as configured. */
  workers: string;
  /** The gateway processes (workers, replicas) whose heartbeat the state store holds from the last seconds; null: the store cannot be asked. */
  processes: ProcessSeen[] | null;
  keysByState: Record<string, number>;
}

/** A serving process as its heartbeat describes it. */
export interface ProcessSeen {
  id: string;
  host: string;
  pid: number;
  version: string;
  startedAt: number;
  seenAt: number;
}

/** One client key as the Clients section shows it (for the admin). */
export interface ClientStatus {
  id: string;
  name: string;
  disabled: boolean;
  /** ISO 8601, or null: never expires. */
  expires_at: string | null;
  /** The models the client may use; null: all. */
  models: string[] | null;
  limits: { rpm?: number; tpm?: number; tokens_per_day?: number; tokens_per_month?: number; concurrency?: number };
  usage: {
    minute: { requests: number; tokens: number };
    today: { requests: number; tokens: number };
    month: { requests: number; tokens: number };
  };
  in_flight: number;
  /** Epoch ms, or null: never used. */
  last_used_at: number | null;
}
