import type { IncomingHttpHeaders } from 'node:http';
import { context, defaultTextMapGetter, defaultTextMapSetter, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { AttemptRecord, RequestRecord } from './request-record.js';
import type { RequestTrace, Tracing } from './tracing.js';

/** The provider name of each upstream endpoint type, as the gen_ai semantic conventions spell them. */
const PROVIDER: Record<string, string> = { anthropic: 'anthropic', openai: 'openai', google: 'gcp.gemini', common: 'openai' };

/** Loaded only when tracing is on (see tracing.ts). */
export function openTracing(url: string, serviceName: string, version: string): Tracing {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': version }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  const tracer = provider.getTracer('droid2api', version);
  const propagator = new W3CTraceContextPropagator();

  return {
    start(method: string, headers: IncomingHttpHeaders, record: RequestRecord): RequestTrace {
      // The client's traceparent, when it sent one, makes this request a child of its span.
      const parent = propagator.extract(ROOT_CONTEXT, headers, defaultTextMapGetter);
      const span = tracer.startSpan(`${method} ${record.route}`, {
        kind: SpanKind.SERVER,
        startTime: record.startedAt,
        attributes: { 'http.request.method': method, 'http.route': record.route, 'droid2api.request_id': record.requestId },
      }, parent);
      const within = trace.setSpan(parent, span);
      let open: Span | undefined;
      return {
        attempt(endpoint, key, model) {
          open = tracer.startSpan(`chat ${model}`, {
            kind: SpanKind.CLIENT,
            attributes: {
              'gen_ai.operation.name': 'chat',
              'gen_ai.provider.name': PROVIDER[endpoint] ?? endpoint,
              'gen_ai.request.model': model,
              'droid2api.upstream.endpoint': endpoint,
              'droid2api.key.fingerprint': key,
            },
          }, within);
          const carrier: Record<string, string> = {};
          propagator.inject(trace.setSpan(context.active(), open), carrier, defaultTextMapSetter);
          return carrier;
        },
        attemptEnded(a: AttemptRecord) {
          if (!open) return;
          open.setAttribute('http.response.status_code', a.status);
          if (a.answeredAt !== undefined) return; // ends with the answer, tokens known
          open.setStatus({ code: SpanStatusCode.ERROR, message: a.failover ?? 'failed' });
          if (a.failover) open.setAttribute('error.type', a.failover);
          open.end(a.endedAt);
          open = undefined;
        },
        end(r: RequestRecord) {
          const end = r.endedAt ?? r.startedAt;
          const usage = { 'gen_ai.usage.input_tokens': r.tokens.input, 'gen_ai.usage.output_tokens': r.tokens.output };
          if (open) {
            open.setAttributes(usage);
            if (r.streamOutcome !== undefined) open.setAttribute('droid2api.stream.outcome', r.streamOutcome);
            open.end(end);
          }
          span.setAttributes({ 'http.response.status_code': r.status, ...usage, 'droid2api.attempts': r.attempts.length });
          if (r.model !== undefined) span.setAttribute('gen_ai.request.model', r.model);
          if (r.status >= 500 || r.status === 0) span.setStatus({ code: SpanStatusCode.ERROR, ...(r.errorCode ? { message: r.errorCode } : {}) });
          if (r.errorCode !== undefined) span.setAttribute('error.type', r.errorCode);
          span.end(end);
        },
      };
    },
    async close() {
      await provider.forceFlush();
      await provider.shutdown();
    },
  };
}
