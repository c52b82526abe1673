import type { ClientRecord } from './client-record.js';
import { LocalLimits, type ClientUsageNow } from './local-limits.js';
import type { Refusal } from './refusal.js';

/**
 * Where client limits are counted: this process (one process, or the primary of WORKERS),
 * the primary over IPC (a worker), or Redis (replicas). `admit` answers synchronously when
 * it can, so the one-process path costs no promise.
 */
export interface LimitBackend {
  admit(client: ClientRecord, now: number): Refusal | undefined | Promise<Refusal | undefined>;
  /** An admitted request ended having spent `tokens` (input + output as the upstream reported them). */
  finish(id: string, tokens: number, now: number): void;
  usage(ids: readonly string[], now: number): Promise<Map<string, ClientUsageNow>>;
  forget(id: string): void;
  /** WORKERS: have every other worker write its history now (before a usage report is read). */
  syncUsage?(): Promise<void>;
  /** WORKERS: how this worker writes its history when another one asks. */
  onWriteHistory?(write: () => Promise<void>): void;
  close(): Promise<void>;
}

export class LocalBackend implements LimitBackend {
  constructor(readonly limits: LocalLimits = new LocalLimits()) {}

  admit(client: ClientRecord, now: number): Refusal | undefined {
    return this.limits.admit(client.id, client.limits, now);
  }

  finish(id: string, tokens: number, now: number): void {
    this.limits.finish(id, tokens, now);
  }

  async usage(ids: readonly string[], now: number): Promise<Map<string, ClientUsageNow>> {
    return new Map(ids.map((id) => [id, this.limits.usage(id, now)]));
  }

  forget(id: string): void {
    this.limits.forget(id);
  }

  async close(): Promise<void> {}
}
