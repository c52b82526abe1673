import { byStart, type ProcessBeat, type ProcessRegister } from './processes.js';

/** The register of one process's memory: a single gateway, or a WORKERS primary's memory store. */
export class MemoryProcesses implements ProcessRegister {
  readonly #beats = new Map<string, ProcessBeat>();

  async beat(beat: ProcessBeat, forgetBefore: number): Promise<void> {
    this.#beats.set(beat.id, { ...beat });
    for (const [id, b] of this.#beats) if (b.seenAt < forgetBefore) this.#beats.delete(id);
  }

  async seen(since: number): Promise<ProcessBeat[]> {
    return [...this.#beats.values()].filter((b) => b.seenAt >= since).map((b) => ({ ...b })).sort(byStart);
  }

  async leave(id: string): Promise<void> {
    this.#beats.delete(id);
  }
}
