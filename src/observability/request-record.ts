import type { ModelType } from '../config/schema.js';
import type { Clock } from '../runtime/clock.js';
import type { RequestTrace } from './tracing.js';
import type { AttemptOutcome, CredentialLease, UsageReport } from '../keys/credential.js';
import type { ClientRecord } from '../clients/client-record.js';

/** How a streamed answer ended, as the client saw it. */
export type StreamOutcome = 'completed' | 'upstream_error' | 'upstream_cut' | 'client_gone';

/**
 * Why an attempt failed over (a bounded label set): the upstream's refusal by status, or
 * what happened to the call.
 */
export type FailoverReason = 'payment_required' | 'unauthorized' | 'forbidden' | 'rate_limited' | 'server_error' | 'timeout' | 'network' | 'other';

export function failoverReason(status: number, code: string): FailoverReason {
  if (status === 402) return 'payment_required';
  if (status === 401) return 'unauthorized';
  if (status === 403) return 'forbidden';
  if (status === 429) return 'rate_limited';
  if (code === 'upstream_timeout') return 'timeout';
  if (status === 0 || code === 'upstream_unavailable') return 'network';
  if (status >= 500) return 'server_error';
  return 'other';
}

/** One upstream call of a request. */
export interface AttemptRecord {
  endpoint: ModelType;
  key: string;
  /** Upstream status; 0 when no answer came. */
  status: number;
  startedAt: number;
  /** When the answer began (first content of a stream, whole body of a JSON answer); unset on failure. */
  answeredAt?: number;
  endedAt: number;
  /** Set when this attempt failed and the request went on to another key. */
  failover?: FailoverReason;
}

export interface RecordTokens {
  input: number;
  output: number;
  cached: number;
}

/**
 * What one API request did, filled in as it goes (route, model, attempts, first byte,
 * tokens, how a stream ended) and handed to the observers when its reply closes: metrics,
 * the request log line, history. Lives exactly as long as the request.
 */
export class RequestRecord {
  /** The configured model the request is for (bounded: metrics and history use it). */
  model: string | undefined;
  /** The model a request named that is not configured, shortened: the log line shows it, nothing counts by it. */
  unknownModel: string | undefined;
  endpoint: ModelType | undefined;
  readonly attempts: AttemptRecord[] = [];
  firstByteAt: number | undefined;
  endedAt: number | undefined;
  /** HTTP status of the reply; 0 when the client left before any. */
  status = 0;
  errorCode: string | undefined;
  stream = false;
  streamOutcome: StreamOutcome | undefined;
  /** The key that produced the answer (fingerprint). */
  key: string | undefined;
  readonly tokens: RecordTokens = { input: 0, output: 0, cached: 0 };
  /** The client key the request came with (its record, never the key itself). */
  client: ClientRecord | undefined;
  /** The client's limits let the request through (it is counted in flight until it ends). */
  admitted = false;
  /** The request's trace, when tracing is on. */
  trace: RequestTrace | undefined;
  /** Headers that carry the current attempt's trace context upstream. */
  upstreamTraceHeaders: Record<string, string> | undefined;

  readonly startedAt: number;

  constructor(
    readonly requestId: string,
    readonly route: string,
    readonly dialect: string,
    private readonly clock: Clock,
  ) {
    this.startedAt = clock.now();
  }

  /** The first byte of the reply is leaving (once; later calls change nothing). */
  firstByte(): void {
    this.firstByteAt ??= this.clock.now();
  }

  addTokens(usage: UsageReport): void {
    this.tokens.input += usage.inputTokens;
    this.tokens.output += usage.outputTokens;
    this.tokens.cached += usage.cachedInputTokens;
  }
}

/** A lease whose reported tokens are also counted on the request's record. */
export function recordingLease(lease: CredentialLease, record: RequestRecord): CredentialLease {
  return {
    authorization: lease.authorization,
    fingerprint: lease.fingerprint,
    report(outcome: AttemptOutcome) {
      if (outcome.usage) record.addTokens(outcome.usage);
      return lease.report(outcome);
    },
    usage(usage: UsageReport) {
      record.addTokens(usage);
      lease.usage(usage);
    },
  };
}

/** Whoever wants to know about finished requests; each is called once per request, never throws into it. */
export type RequestObserver = (record: RequestRecord) => void;

/** The observers of one app (never module state). */
export class RequestObservers {
  readonly #observers: RequestObserver[] = [];

  add(observer: RequestObserver): void {
    this.#observers.push(observer);
  }

  emit(record: RequestRecord, onError: (err: unknown) => void): void {
    for (const observe of this.#observers) {
      try {
        observe(record);
      } catch (err) {
        onError(err);
      }
    }
  }
}
