import type { FastifyInstance } from 'fastify';
import type { IrErrorInfo } from '../dialects/ir.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The SSE answers being written now, so a shutdown can end them in their dialect. */
    openStreams: OpenStreams;
  }
}

/** What a stream still open at the shutdown deadline is told, in its dialect's error event. */
export const SHUTTING_DOWN: IrErrorInfo = { code: 'overloaded', message: 'The gateway is shutting down; retry the request', status: 503 };

/** The streams one app is writing; each registers how it is cut short. Instance state, one per app. */
export class OpenStreams {
  readonly #cuts = new Set<() => void>();

  /** Adds a stream; the returned function removes it (its answer ended). */
  register(cut: () => void): () => void {
    this.#cuts.add(cut);
    return () => this.#cuts.delete(cut);
  }

  get size(): number {
    return this.#cuts.size;
  }

  /** Ends every open stream with its dialect's error event; returns how many there were. */
  endAll(): number {
    const cuts = [...this.#cuts];
    this.#cuts.clear();
    for (const cut of cuts) cut();
    return cuts.length;
  }
}

export function registerOpenStreams(app: FastifyInstance): void {
  app.decorate('openStreams', new OpenStreams());
}
