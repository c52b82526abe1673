import { Counter, type Registry } from 'prom-client';
import type { RequestObservers, RequestRecord } from '../observability/request-record.js';
import type { ClientRecord } from './client-record.js';

/** One labelled series' count not yet handed to prom-client. */
interface Pending {
  labels: Record<string, string>;
  n: number;
}

interface ModelSlots {
  byStatus: Map<number, Pending>;
  input: Pending;
  output: Pending;
  cached: Pending;
}

/**
 * Per-client series, labelled with the client's name (never its key): clients are few and
 * named by the admin, models come from config.json, statuses are HTTP codes.
 * A request adds to plain numbers found through its client record; prom-client (which
 * hashes the labels on every increment) is told at scrape time.
 */
export function observeClientMetrics(registry: Registry, requests: RequestObservers): void {
  const registers = [registry];
  const pending: Pending[] = [];
  const drain = (counter: Counter<string>, of: ReadonlySet<Pending>) => {
    for (const p of pending) {
      if (p.n === 0 || !of.has(p)) continue;
      counter.inc(p.labels, p.n);
      p.n = 0;
    }
  };
  const requestSeries = new Set<Pending>();
  const tokenSeries = new Set<Pending>();
  new Counter({
    name: 'droid2api_client_requests_total',
    help: 'API requests made with a client key, by client name, model and HTTP status (429: a limit, 403: the model allow-list)',
    labelNames: ['client', 'model', 'status'],
    registers,
    collect() {
      drain(this, requestSeries);
    },
  });
  new Counter({
    name: 'droid2api_client_tokens_total',
    help: 'Tokens the upstream reported for requests made with a client key, by client name, model and kind (input includes cached input)',
    labelNames: ['client', 'model', 'kind'],
    registers,
    collect() {
      drain(this, tokenSeries);
    },
  });
  const series = (set: Set<Pending>, labels: Record<string, string>): Pending => {
    const p = { labels, n: 0 };
    set.add(p);
    pending.push(p);
    return p;
  };
  // A changed client is a new record (records are read-only): a renamed client gets new series.
  const slots = new WeakMap<ClientRecord, Map<string, ModelSlots>>();
  const slotsOf = (client: ClientRecord, model: string): ModelSlots => {
    let byModel = slots.get(client);
    if (byModel === undefined) slots.set(client, (byModel = new Map()));
    let s = byModel.get(model);
    if (s === undefined) {
      const token = (kind: string) => series(tokenSeries, { client: client.name, model, kind });
      byModel.set(model, (s = { byStatus: new Map(), input: token('input'), output: token('output'), cached: token('cached') }));
    }
    return s;
  };
  requests.add((r: RequestRecord) => {
    if (r.client === undefined) return;
    const model = r.model ?? 'none';
    const s = slotsOf(r.client, model);
    let status = s.byStatus.get(r.status);
    if (status === undefined) s.byStatus.set(r.status, (status = series(requestSeries, { client: r.client.name, model, status: String(r.status) })));
    status.n += 1;
    s.input.n += r.tokens.input;
    s.output.n += r.tokens.output;
    s.cached.n += r.tokens.cached;
  });
}
