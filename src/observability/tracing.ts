import type { IncomingHttpHeaders } from 'node:http';
import type { AttemptRecord, RequestRecord } from './request-record.js';

/** One request's span and its attempts' child spans. */
export interface RequestTrace {
  /** Starts an attempt's span; the headers carry its context upstream (W3C traceparent). */
  attempt(endpoint: string, key: string, model: string): Record<string, string>;
  /** Ends the attempt's span: a failed attempt now, the answering one with the request. */
  attemptEnded(attempt: AttemptRecord): void;
  /** Ends every open span with the request's outcome. */
  end(record: RequestRecord): void;
}

export interface Tracing {
  start(method: string, headers: IncomingHttpHeaders, record: RequestRecord): RequestTrace;
  /** Sends what is buffered and stops the exporter. */
  close(): Promise<void>;
}

/** Where traces go, from the standard OpenTelemetry variables; undefined when tracing is off. */
export function tracesEndpoint(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_SDK_DISABLED === 'true') return undefined;
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

/**
 * OpenTelemetry traces, off unless an OTLP endpoint is configured: the packages are loaded
 * only then, so the default path pays nothing for them.
 */
export async function startTracing(env: NodeJS.ProcessEnv, version: string): Promise<Tracing | undefined> {
  const url = tracesEndpoint(env);
  if (url === undefined) return undefined;
  const { openTracing } = await import('./tracing-otel.js');
  return openTracing(url, env.OTEL_SERVICE_NAME || 'droid2api', version);
}
