import type { FastifyBaseLogger } from 'fastify';
import type { ResolvedModel } from './models.js';

/**
 * Tells the operator, once per retired id per process, that clients still ask for a model
 * Factory no longer serves: the request goes on to the successor, and the line says which
 * clients' settings to update. Later uses stay quiet so the log is not flooded.
 */
export class RetiredModelNotices {
  readonly #seen = new Set<string>();

  note(model: ResolvedModel, log: FastifyBaseLogger): void {
    if (!model.retired || this.#seen.has(model.requested)) return;
    this.#seen.add(model.requested);
    log.warn({ model: model.requested, successor: model.config.id }, 'retired model requested: served by its successor; update the client to the new id');
  }
}
