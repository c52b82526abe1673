/**
 * Conversation → key, so one conversation stays on one key while it is healthy and the
 * upstream's prompt cache keeps working. Bounded: entries expire after `ttlMs` and the
 * oldest go first beyond `maxEntries` (a Map keeps insertion order; a hit re-inserts).
 */
export class SessionAffinity {
  readonly #entries = new Map<string, { fingerprint: string; at: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(session: string, now: number): string | undefined {
    const entry = this.#entries.get(session);
    if (!entry) return undefined;
    this.#entries.delete(session);
    if (now - entry.at > this.ttlMs) return undefined;
    this.#entries.set(session, { fingerprint: entry.fingerprint, at: now });
    return entry.fingerprint;
  }

  set(session: string, fingerprint: string, now: number): void {
    this.#entries.delete(session);
    this.#entries.set(session, { fingerprint, at: now });
    while (this.#entries.size > this.maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }

  get size(): number {
    return this.#entries.size;
  }
}
