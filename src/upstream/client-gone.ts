/**
 * Tells an upstream call that its client went away, so the call is aborted. A plain
 * callback list: an AbortController per request is costly on Node 20 (EventTarget
 * listeners; docs/PERFORMANCE.md), and an EventEmitter does more than this needs.
 */
export class ClientGone {
  aborted = false;
  #listeners: Array<() => void> = [];

  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }

  /** Calls `listener` once the client is gone; the returned function stops listening. */
  listen(listener: () => void): () => void {
    this.#listeners.push(listener);
    return () => {
      const i = this.#listeners.indexOf(listener);
      if (i >= 0) this.#listeners.splice(i, 1);
    };
  }
}
