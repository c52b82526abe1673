import { resolveModel } from '../pipeline/models.js';
import type { ConfigFile } from '../config/schema.js';
import type { RequestRecord } from '../observability/request-record.js';
import type { Clock } from '../runtime/clock.js';
import type { LimitBackend } from './limit-backend.js';
import type { ClientRegistry, ClientEntry } from './registry.js';
import { modelNotAllowed, refusalError } from './refusal.js';

/**
 * Client keys on the request path: the allow-list and the limits at admission, the tokens
 * spent when the request's record closes (a RequestObserver). Usage per client × model ×
 * hour is the history recorder's `client` dimension.
 */
export class Clients {
  constructor(
    readonly registry: ClientRegistry,
    readonly limits: LimitBackend,
    private readonly config: () => ConfigFile,
    private readonly clock: Clock,
  ) {}

  /**
   * The allow-list, for the model the client named: it may name an allowed id, or an id that
   * a configured redirect turns into an allowed one.
   */
  checkModel(client: ClientEntry, model: string | undefined): void {
    if (model === undefined || client.record.models === null || client.allowed(model)) return;
    let resolved: string | undefined;
    try {
      resolved = resolveModel(this.config(), model).config.id;
    } catch {
      resolved = undefined;
    }
    if (resolved === undefined || !client.allowed(resolved)) throw modelNotAllowed(client.record.name, model);
  }

  /** Refuses the request (403 model, 429 limit) or counts it in flight; the record carries the client from here on. */
  async admit(client: ClientEntry, model: string | undefined, record: RequestRecord): Promise<void> {
    record.client = client.record;
    this.checkModel(client, model);
    const verdict = this.limits.admit(client.record, this.clock.now());
    const refusal = verdict instanceof Promise ? await verdict : verdict;
    if (refusal) throw refusalError(client.record.name, refusal);
    record.admitted = true;
    // The client left while a shared store decided: its record has closed, nothing else will end it.
    if (record.endedAt !== undefined) this.limits.finish(client.record.id, 0, this.clock.now());
  }

  /** The request observer: an admitted request's end and tokens go to the limits. */
  observe(r: RequestRecord): void {
    if (r.client === undefined || !r.admitted) return;
    this.limits.finish(r.client.id, r.tokens.input + r.tokens.output, r.endedAt ?? this.clock.now());
  }
}
