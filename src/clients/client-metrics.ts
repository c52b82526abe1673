import { Counter, type Registry } from 'prom-client';
import type { RequestObservers, RequestRecord } from '../observability/request-record.js';

/**
 * Per-client series, labelled with the client's name (never its key): clients are few and
 * named by the admin, models come from config.json, statuses are HTTP codes.
 */
export function observeClientMetrics(registry: Registry, requests: RequestObservers): void {
  const registers = [registry];
  const byStatus = new Counter({ name: 'droid2api_client_requests_total', help: 'API requests made with a client key, by client name, model and HTTP status (429: a limit, 403: the model allow-list)', labelNames: ['client', 'model', 'status'], registers });
  const tokens = new Counter({ name: 'droid2api_client_tokens_total', help: 'Tokens the upstream reported for requests made with a client key, by client name, model and kind (input includes cached input)', labelNames: ['client', 'model', 'kind'], registers });
  // Label children kept per label set: hashing the labels on every request costs more than the lookup.
  const children = new Map<string, { inc(n?: number): void }>();
  const child = (counter: Counter<string>, client: string, model: string, name: string, value: string) => {
    const key = `${name}\u0000${client}\u0000${model}\u0000${value}`;
    let c = children.get(key);
    if (c === undefined) children.set(key, (c = counter.labels({ client, model, [name]: value })));
    return c;
  };
  requests.add((r: RequestRecord) => {
    if (r.client === undefined) return;
    const { name } = r.client;
    const model = r.model ?? 'none';
    child(byStatus, name, model, 'status', String(r.status)).inc();
    if (r.tokens.input > 0) child(tokens, name, model, 'kind', 'input').inc(r.tokens.input);
    if (r.tokens.output > 0) child(tokens, name, model, 'kind', 'output').inc(r.tokens.output);
    if (r.tokens.cached > 0) child(tokens, name, model, 'kind', 'cached').inc(r.tokens.cached);
  });
}
