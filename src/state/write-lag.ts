/**
 * How long the oldest write a store has queued but not committed has waited: its write lag
 * (/metrics). A store marks each write it queues and each batch it commits; a batch that
 * leaves later writes queued restarts the wait from when that batch was taken, so the figure
 * errs long, never short.
 */
export class WriteLag {
  #since: number | undefined;

  queued(now: number): void {
    this.#since ??= now;
  }

  /** A batch taken at `takenAt` was committed; `stillQueued` writes came after it. */
  committed(stillQueued: boolean, takenAt: number): void {
    this.#since = stillQueued ? takenAt : undefined;
  }

  ms(now: number): number {
    return this.#since === undefined ? 0 : Math.max(0, now - this.#since);
  }
}
