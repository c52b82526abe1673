import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { observeRequestMetrics } from '../observability/request-metrics.js';
import { observeClientMetrics } from '../clients/client-metrics.js';
import type { Services } from '../services.js';
import { registerAllowanceGauges } from './metrics-allowance.js';
import { keySeries, maxKeySeries } from './key-series.js';
import { effectiveStatus, KEY_STATUSES } from './status-data.js';

/** Seconds; LLM answers range from tens of milliseconds (errors) to minutes (long streams). */
const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/** Requests that matched no route share one label, so scanners cannot blow up the series count. */
const UNMATCHED = 'unmatched';

/**
 * The metrics of one app, in its own Registry (never prom-client's global one, so two apps in
 * one process, as in the tests, never share counters). Key gauges are read from the pool at
 * scrape time; labels carry fingerprints, never keys.
 */
function createRegistry(services: Services): { registry: Registry; requests: Counter<'route' | 'status'>; duration: Histogram<'route'> } {
  const registry = new Registry();
  // Process metrics (CPU, memory, event-loop lag, GC), read at scrape time.
  collectDefaultMetrics({ register: registry });
  observeRequestMetrics(registry, services.requests);
  observeClientMetrics(registry, services.requests);
  const maxSeries = maxKeySeries(services.settings.env);
  const series = () => keySeries(services.keys.pool?.snapshot() ?? [], maxSeries, services.clock.now());
  const requests = new Counter({ name: 'droid2api_requests_total', help: 'HTTP requests answered, by route pattern and status code', labelNames: ['route', 'status'], registers: [registry] });
  const duration = new Histogram({ name: 'droid2api_request_duration_seconds', help: 'Time from request to the end of the reply (streams included), by route pattern', labelNames: ['route'], buckets: DURATION_BUCKETS, registers: [registry] });
  new Gauge({
    name: 'droid2api_keys',
    help: 'Keys in the pool by status (a cooling key whose rest is over counts as active)',
    labelNames: ['status'],
    registers: [registry],
    collect() {
      const now = services.clock.now();
      const keys = services.keys.pool?.snapshot() ?? [];
      for (const status of KEY_STATUSES) this.set({ status }, keys.filter((k) => effectiveStatus(k, now) === status).length);
    },
  });
  new Gauge({
    name: 'droid2api_store_write_lag_seconds',
    help: 'How long the oldest key-record write queued in the state store has waited uncommitted (0: none; batches go every second, status changes at once; in WORKERS mode the primary\'s, as of this worker\'s last heartbeat)',
    registers: [registry],
    collect() {
      this.set((services.store.writeLagMs?.(services.clock.now()) ?? 0) / 1000);
    },
  });
  new Counter({
    name: 'droid2api_key_requests_total',
    help: 'Upstream attempts per key (fingerprint; by status, "status:<status>", beyond METRICS_MAX_KEY_SERIES keys) by outcome',
    labelNames: ['key', 'outcome'],
    registers: [registry],
    collect() {
      // Read from the pool's records: reset first so removed keys disappear from the scrape.
      this.reset();
      for (const { key, counts } of series()) {
        this.inc({ key, outcome: 'success' }, counts.success);
        this.inc({ key, outcome: 'failure' }, counts.failure);
      }
    },
  });
  new Counter({
    name: 'droid2api_key_tokens_total',
    help: 'Tokens per key (fingerprint; by status beyond METRICS_MAX_KEY_SERIES keys): in (prompt, cached included), out, cached',
    labelNames: ['key', 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { key, counts } of series()) {
        this.inc({ key, kind: 'in' }, counts.tokensIn);
        this.inc({ key, kind: 'out' }, counts.tokensOut);
        this.inc({ key, kind: 'cached' }, counts.tokensCached);
      }
    },
  });
  new Counter({
    name: 'droid2api_keyword_filter_matches_total',
    help: 'Texts changed or removed by each keywords-filter.json rule (by id; repeated ids add up)',
    labelNames: ['rule'],
    registers: [registry],
    collect() {
      this.reset();
      for (const r of services.keywordFilter.status().rules) this.inc({ rule: r.id }, r.matches);
    },
  });
  registerAllowanceGauges(registry, services);
  return { registry, requests, duration };
}

/** GET /metrics (Prometheus text format) and the hook that counts every reply. */
export function registerMetricsRoutes(app: FastifyInstance, services: Services, gate: onRequestAsyncHookHandler): void {
  const { registry, requests, duration } = createRegistry(services);

  // Counted when the raw response closes rather than in onResponse: streamed replies are
  // hijacked and skip Fastify's reply hooks, and this sees both kinds the same way.
  // Label sets are few (route patterns × statuses): their children are kept, so a request
  // does not hash its labels twice.
  const counted = new Map<string, ReturnType<typeof requests.labels>>();
  const timed = new Map<string, ReturnType<typeof duration.labels>>();
  const countOf = (route: string, status: string) => {
    const k = `${status} ${route}`;
    let child = counted.get(k);
    if (child === undefined) counted.set(k, (child = requests.labels({ route, status })));
    return child;
  };
  const timerOf = (route: string) => {
    let child = timed.get(route);
    if (child === undefined) timed.set(route, (child = duration.labels({ route })));
    return child;
  };
  app.addHook('onRequest', (request, reply, done) => {
    const started = services.clock.now();
    const route = request.routeOptions.url ?? UNMATCHED;
    reply.raw.once('close', () => {
      // No headers sent means the client left before any answer: status "0", as the pool counts it.
      const status = reply.raw.headersSent ? String(reply.raw.statusCode) : '0';
      countOf(route, status).inc();
      timerOf(route).observe(Math.max(0, services.clock.now() - started) / 1000);
    });
    done();
  });

  app.get('/metrics', { onRequest: gate }, async (_request, reply) => {
    const text = await registry.metrics();
    return reply.header('content-type', registry.contentType).header('cache-control', 'no-store').send(text);
  });
}
