import { z } from 'zod';

/** One serving gateway process (a WORKERS child or a replica), as its last heartbeat described it. */
const storedBeat = z.object({
  /** Random per process start: a restarted process is a new one. */
  id: z.string(),
  host: z.string(),
  pid: z.number(),
  version: z.string(),
  /** Epoch ms. */
  startedAt: z.number(),
  /** Epoch ms of this beat. */
  seenAt: z.number(),
});
export type ProcessBeat = z.infer<typeof storedBeat>;

/**
 * Where serving processes announce themselves, shared like the rest of the state store, so
 * that any of them can tell how many are alive (observability/presence.ts beats every few
 * seconds). A beat replaces the process's previous one and forgets every process not seen
 * since `forgetBefore`, so the register holds no more than the processes alive lately.
 */
export interface ProcessRegister {
  beat(beat: ProcessBeat, forgetBefore: number): Promise<void>;
  /** The processes whose last beat is at or after `since`, in the order they started. */
  seen(since: number): Promise<ProcessBeat[]>;
  /** A process that stops cleanly leaves at once rather than when its last beat grows old. */
  leave(id: string): Promise<void>;
}

/** A beat as a store wrote it (JSON text); undefined when the text is not one. */
export function parseBeat(text: string): ProcessBeat | undefined {
  try {
    const parsed = storedBeat.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export function byStart(a: ProcessBeat, b: ProcessBeat): number {
  return a.startedAt - b.startedAt || (a.id < b.id ? -1 : 1);
}
