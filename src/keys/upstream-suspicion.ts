/**
 * When every key fails the same way (429 or 5xx) within a short window, the upstream or
 * this machine's IP is the likely cause, not the keys: they should not all be cooled for
 * it. Remembers the latest such failure per key.
 */
export class UpstreamSuspicion {
  readonly #recent = new Map<string, { status: number; at: number }>();

  constructor(private readonly windowMs: number) {}

  /**
   * Records a failure and says whether every one of `keys` (at least two) failed with the
   * same status class within the window.
   */
  record(fingerprint: string, status: number, now: number, keys: readonly { readonly fingerprint: string }[]): boolean {
    this.#recent.set(fingerprint, { status, at: now });
    if (keys.length < 2) return false;
    const cls = statusClass(status);
    return keys.every(({ fingerprint: fp }) => {
      const r = this.#recent.get(fp);
      return r !== undefined && now - r.at <= this.windowMs && statusClass(r.status) === cls;
    });
  }

  clear(fingerprint: string): void {
    this.#recent.delete(fingerprint);
  }
}

function statusClass(status: number): string {
  if (status === 429) return '429';
  return status === 0 || status >= 500 ? '5xx' : String(status);
}
