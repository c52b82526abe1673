import { Histogram, type Registry } from 'prom-client';
import type { RequestObservers, RequestRecord } from './request-record.js';
import { TalliedCounter } from './tallied-counter.js';

/** Seconds; from a cached error (milliseconds) to a long reasoning stream (minutes). */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60, 120, 300];

/** A request that failed before its model was known (bad JSON, unknown model). */
const NO_MODEL = 'none';

export function statusClass(status: number): string {
  return status === 0 ? 'none' : `${Math.floor(status / 100)}xx`;
}

/**
 * Label children kept per label set: the sets are few (routes × models from config × a
 * bounded outcome), and a kept child saves hashing the labels on every request.
 */
function cached<T>(make: (key: string, labels: string[]) => T): (...labels: string[]) => T {
  const children = new Map<string, T>();
  return (...labels) => {
    const key = labels.join('\u0000');
    let child = children.get(key);
    if (child === undefined) children.set(key, (child = make(key, labels)));
    return child;
  };
}

/**
 * The metrics that answer an operator's questions about the traffic: which route and model
 * fail, how long the first byte takes at the client and at Factory, how often a request
 * fails over and why, how streams end, how many tokens each model spends. Labels are route
 * patterns, configured model ids, upstream endpoint types and small fixed sets: never ids,
 * paths or keys.
 */
export function observeRequestMetrics(registry: Registry, requests: RequestObservers): void {
  const registers = [registry];
  const byModel = new TalliedCounter({ name: 'droid2api_model_requests_total', help: 'API requests by client route, model and status class (2xx, 4xx, 5xx; none = the client left before any answer)', labelNames: ['route', 'model', 'status_class'], registry });
  const ttfb = new Histogram({ name: 'droid2api_time_to_first_byte_seconds', help: 'Time from the request to the first byte of its answer at the client, by client route and model', labelNames: ['route', 'model'], buckets: LATENCY_BUCKETS, registers });
  const upstreamTtfb = new Histogram({ name: 'droid2api_upstream_time_to_first_byte_seconds', help: 'Time from an upstream call to the start of its answer (first content event of a stream, whole body of a JSON answer), by upstream endpoint and model', labelNames: ['endpoint', 'model'], buckets: LATENCY_BUCKETS, registers });
  const upstreamDuration = new Histogram({ name: 'droid2api_upstream_request_duration_seconds', help: 'Time from an upstream call to its end (the end of the streamed answer for the call that answered), by upstream endpoint and model', labelNames: ['endpoint', 'model'], buckets: LATENCY_BUCKETS, registers });
  const attempts = new TalliedCounter({ name: 'droid2api_upstream_attempts_total', help: 'Upstream calls by endpoint, model and outcome (success, or the reason it failed)', labelNames: ['endpoint', 'model', 'outcome'], registry });
  const failovers = new TalliedCounter({ name: 'droid2api_failovers_total', help: 'Attempts that failed and passed the request on to another key, by reason', labelNames: ['reason'], registry });
  const streams = new TalliedCounter({ name: 'droid2api_stream_outcomes_total', help: 'Streamed answers by how they ended: completed, upstream_error (an error event from the upstream mid-stream), upstream_cut (the upstream stream broke off), client_gone', labelNames: ['route', 'model', 'outcome'], registry });
  const tokens = new TalliedCounter({ name: 'droid2api_tokens_total', help: 'Tokens the upstream reported, by model and kind (input includes cached input)', labelNames: ['model', 'kind'], registry });

  const countModel = cached((_k, [route, model, cls]) => byModel.series({ route: route!, model: model!, status_class: cls! }));
  const timeTtfb = cached((_k, [route, model]) => ttfb.labels({ route: route!, model: model! }));
  const timeUpstreamTtfb = cached((_k, [endpoint, model]) => upstreamTtfb.labels({ endpoint: endpoint!, model: model! }));
  const timeUpstream = cached((_k, [endpoint, model]) => upstreamDuration.labels({ endpoint: endpoint!, model: model! }));
  const countAttempt = cached((_k, [endpoint, model, outcome]) => attempts.series({ endpoint: endpoint!, model: model!, outcome: outcome! }));
  const countFailover = cached((_k, [reason]) => failovers.series({ reason: reason! }));
  const countStream = cached((_k, [route, model, outcome]) => streams.series({ route: route!, model: model!, outcome: outcome! }));
  const countTokens = cached((_k, [model, kind]) => tokens.series({ model: model!, kind: kind! }));

  requests.add((r: RequestRecord) => {
    const model = r.model ?? NO_MODEL;
    countModel(r.route, model, statusClass(r.status)).n += 1;
    if (r.firstByteAt !== undefined) timeTtfb(r.route, model).observe((r.firstByteAt - r.startedAt) / 1000);
    const end = r.endedAt ?? r.startedAt;
    for (const a of r.attempts) {
      countAttempt(a.endpoint, model, a.answeredAt !== undefined ? 'success' : (a.failover ?? 'failed')).n += 1;
      if (a.failover) countFailover(a.failover).n += 1;
      if (a.answeredAt !== undefined) {
        timeUpstreamTtfb(a.endpoint, model).observe((a.answeredAt - a.startedAt) / 1000);
        timeUpstream(a.endpoint, model).observe((end - a.startedAt) / 1000);
      } else {
        timeUpstream(a.endpoint, model).observe((a.endedAt - a.startedAt) / 1000);
      }
    }
    if (r.streamOutcome !== undefined && r.stream) countStream(r.route, model, r.streamOutcome).n += 1;
    if (r.tokens.input > 0) countTokens(model, 'input').n += r.tokens.input;
    if (r.tokens.output > 0) countTokens(model, 'output').n += r.tokens.output;
    if (r.tokens.cached > 0) countTokens(model, 'cached').n += r.tokens.cached;
  });
}
