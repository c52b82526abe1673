import { Counter, type Registry } from 'prom-client';

/** One labelled series' count not yet handed to prom-client. */
export interface Tally {
  n: number;
}

export interface TalliedCounterOptions<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
  registry: Registry;
}

/**
 * A prom-client counter whose increments on the request path are additions to plain numbers,
 * handed to prom-client when it is scraped: prom-client validates and hashes the labels on
 * every increment, and the label sets here are few and kept by their callers.
 */
export class TalliedCounter<L extends string> {
  readonly #series: { labels: Record<L, string>; tally: Tally }[] = [];

  constructor(options: TalliedCounterOptions<L>) {
    const series = this.#series;
    new Counter({
      name: options.name,
      help: options.help,
      labelNames: options.labelNames,
      registers: [options.registry],
      collect() {
        for (const { labels, tally } of series) {
          if (tally.n === 0) continue;
          this.inc(labels, tally.n);
          tally.n = 0;
        }
      },
    });
  }

  /** A new series' tally: callers keep it per label set (one call per set, not per request). */
  series(labels: Record<L, string>): Tally {
    const tally = { n: 0 };
    this.#series.push({ labels, tally });
    return tally;
  }
}
