import { Gauge, type Registry } from 'prom-client';
import type { Services } from '../services.js';

/** The allowance of each key (fingerprint) and window, as its last check found it; unknown keys have no series. */
export function registerAllowanceGauges(registry: Registry, services: Services): void {
  const checked = () => {
    const pool = services.keys.pool;
    if (!pool) return [];
    return pool.snapshot().flatMap(({ fingerprint }) => {
      const allowance = services.allowance?.allowanceOf(fingerprint);
      return allowance ? allowance.windows.map((w) => ({ key: fingerprint, window: w.name, w })) : [];
    });
  };
  new Gauge({
    name: 'droid2api_key_allowance_used_ratio',
    help: "Share of a key's allowance window spent at its last check (1 = all of it)",
    labelNames: ['key', 'window'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { key, window, w } of checked()) this.set({ key, window }, w.usedRatio);
    },
  });
  new Gauge({
    name: 'droid2api_key_allowance_window_end_seconds',
    help: "When a key's allowance window resets, in seconds since the epoch",
    labelNames: ['key', 'window'],
    registers: [registry],
    collect() {
      this.reset();
      for (const { key, window, w } of checked()) if (w.endsAt !== undefined) this.set({ key, window }, w.endsAt / 1000);
    },
  });
}
