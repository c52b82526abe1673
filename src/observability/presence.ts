import { hostname } from 'node:os';
import type { Clock, Ids } from '../runtime/clock.js';
import { every, type Interval } from '../runtime/interval.js';
import type { ProcessBeat, ProcessRegister } from '../state/processes.js';

/** How often a serving process announces itself. */
export const BEAT_EVERY_MS = 3_000;
/** A process is live while its last beat is younger than this: three missed beats and it is gone. */
export const LIVE_WINDOW_MS = 10_000;

export interface PresenceLog {
  debug(obj: object, msg: string): void;
}

/**
 * This process's heartbeat in the state store's process register, and what the register says
 * about the others: how many workers or replicas serve now (/status). A timer, never the
 * request path; a beat that fails (the store is down) is simply made again next time.
 */
export class Presence {
  readonly self: Omit<ProcessBeat, 'seenAt'>;
  readonly #timer: Interval;
  /** A beat the store has not answered yet: the timer skips its turn rather than pile beats onto a slow store. */
  #beating: Promise<void> | undefined;

  constructor(
    private readonly register: ProcessRegister,
    private readonly clock: Clock,
    private readonly log: PresenceLog,
    ids: Ids,
    version: string,
  ) {
    this.self = { id: ids.uuid(), host: hostname(), pid: process.pid, version, startedAt: clock.now() };
    void this.beat();
    this.#timer = every(BEAT_EVERY_MS, () => void this.beat());
  }

  /** Announces this process now (or joins the beat under way); resolves once the store has it or refused it. */
  beat(): Promise<void> {
    this.#beating ??= this.#announce().finally(() => (this.#beating = undefined));
    return this.#beating;
  }

  async #announce(): Promise<void> {
    const now = this.clock.now();
    try {
      await this.register.beat({ ...this.self, seenAt: now }, now - LIVE_WINDOW_MS);
    } catch (err) {
      this.log.debug({ err: err instanceof Error ? err.message : String(err) }, 'heartbeat not recorded; the next one tries again');
    }
  }

  /** The processes seen within the live window; null when the store cannot be asked. */
  async live(): Promise<ProcessBeat[] | null> {
    try {
      return await this.register.seen(this.clock.now() - LIVE_WINDOW_MS);
    } catch {
      return null;
    }
  }

  /** Stops beating and leaves the register, so a clean restart is not counted twice. */
  async stop(): Promise<void> {
    this.#timer.stop();
    await this.register.leave(this.self.id).catch(() => undefined);
  }
}
