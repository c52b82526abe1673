/** How figures read on the page: counts, rates, durations, times. */

const nf = new Intl.NumberFormat();
const compact = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });

export const count = (n: number): string => nf.format(n);
export const tokens = (n: number): string => (n < 10_000 ? nf.format(n) : compact.format(n));

export function rate(r: number | null | undefined): string {
  if (r === null || r === undefined) return '–';
  return `${(r * 100).toFixed(r === 1 || r === 0 ? 0 : 1)}%`;
}

export function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
}

/** A duration as "42s", "3m 5s", "2h 10m", "3d 4h". */
export function span(milliseconds: number): string {
  const s = Math.max(0, Math.round(milliseconds / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h ${m % 60}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/**
 * The server's clock as the page sees it: its time at the last fetch plus what has passed
 * here since, so "ago" and countdowns ignore any skew between the two machines.
 */
export class ServerClock {
  #serverAt = 0;
  #localAt = 0;

  sync(serverNow: number): void {
    this.#serverAt = serverNow;
    this.#localAt = performance.now();
  }

  now(): number {
    return this.#serverAt + (performance.now() - this.#localAt);
  }

  /** Milliseconds since the last sync. */
  sinceSync(): number {
    return performance.now() - this.#localAt;
  }

  ago(t: number | null | undefined): string {
    if (!t) return 'never';
    const d = this.now() - t;
    return d < 1000 ? 'just now' : `${span(d)} ago`;
  }

  until(t: number | undefined): string {
    if (!t) return '–';
    const d = t - this.now();
    return d <= 0 ? 'ready' : `in ${span(d)}`;
  }
}

/** A date and time in the viewer's locale, e.g. for when a key was retired. */
export function when(t: number | undefined): string {
  return t ? new Date(t).toLocaleString() : '–';
}
