import type { Registry } from 'prom-client';
import type { RequestObservers, RequestRecord } from '../observability/request-record.js';
import { TalliedCounter, type Tally } from '../observability/tallied-counter.js';
import type { ClientRecord } from './client-record.js';

interface ModelSlots {
  byStatus: Map<number, Tally>;
  input: Tally;
  output: Tally;
  cached: Tally;
}

/**
 * Per-client series, labelled with the client's name (never its key): clients are few and
 * named by the admin, models come from config.json, statuses are HTTP codes.
 * A request adds to tallies found through its client record.
 */
export function observeClientMetrics(registry: Registry, requests: RequestObservers): void {
  const requestsOf = new TalliedCounter({
    name: 'droid2api_client_requests_total',
    help: 'API requests made with a client key, by client name, model and HTTP status (429: a limit, 403: the model allow-list)',
    labelNames: ['client', 'model', 'status'],
    registry,
  });
  const tokensOf = new TalliedCounter({
    name: 'droid2api_client_tokens_total',
    help: 'Tokens the upstream reported for requests made with a client key, by client name, model and kind (input includes cached input)',
    labelNames: ['client', 'model', 'kind'],
    registry,
  });
  // A changed client is a new record (records are read-only): a renamed client gets new series.
  const slots = new WeakMap<ClientRecord, Map<string, ModelSlots>>();
  const slotsOf = (client: ClientRecord, model: string): ModelSlots => {
    let byModel = slots.get(client);
    if (byModel === undefined) slots.set(client, (byModel = new Map()));
    let s = byModel.get(model);
    if (s === undefined) {
      const token = (kind: string) => tokensOf.series({ client: client.name, model, kind });
      byModel.set(model, (s = { byStatus: new Map(), input: token('input'), output: token('output'), cached: token('cached') }));
    }
    return s;
  };
  requests.add((r: RequestRecord) => {
    if (r.client === undefined) return;
    const model = r.model ?? 'none';
    const s = slotsOf(r.client, model);
    let status = s.byStatus.get(r.status);
    if (status === undefined) s.byStatus.set(r.status, (status = requestsOf.series({ client: r.client.name, model, status: String(r.status) })));
    status.n += 1;
    s.input.n += r.tokens.input;
    s.output.n += r.tokens.output;
    s.cached.n += r.tokens.cached;
  });
}
