import { isPrimaryMessage, type WorkerRequest } from '../cluster/messages.js';
import type { ClientRecord } from './client-record.js';
import type { LimitBackend } from './limit-backend.js';
import type { ClientUsageNow } from './local-limits.js';
import type { Refusal } from './refusal.js';
import { after } from '../runtime/timer.js';

const REPLY_TIMEOUT_MS = 2_000;

/**
 * A worker's client limits (WORKERS mode): counted at the primary, so the workers together
 * never pass a limit. Admission is one IPC round trip; the end of a request is a message.
 */
export class WorkerLimits implements LimitBackend {
  #nextId = 0;
  readonly #pending = new Map<number, (result: unknown) => void>();
  #writeHistory: () => Promise<void> = async () => undefined;

  constructor(private readonly send: (msg: WorkerRequest) => void) {}

  receive(id: number, result: unknown): void {
    const resolve = this.#pending.get(id);
    this.#pending.delete(id);
    resolve?.(result);
  }

  /**
   * Asks the primary; `fallback` when it does not answer within REPLY_TIMEOUT_MS (it is going
   * away: the worker serves its last requests rather than hang them).
   */
  #ask<T>(msg: Extract<WorkerRequest, { type: 'd2a:limit-admit' | 'd2a:limit-usage' | 'd2a:limit-sync' }>, fallback: T): Promise<T> {
    return new Promise<T>((resolve) => {
      const timer = after(REPLY_TIMEOUT_MS, () => {
        this.#pending.delete(msg.id);
        resolve(fallback);
      });
      this.#pending.set(msg.id, (r) => {
        timer.cancel();
        resolve(r as T);
      });
      this.send(msg);
    });
  }

  admit(client: ClientRecord, now: number): Promise<Refusal | undefined> {
    return this.#ask<Refusal | null>({ type: 'd2a:limit-admit', id: ++this.#nextId, client: { id: client.id, limits: client.limits }, now }, null).then((r) => r ?? undefined);
  }

  finish(id: string, tokens: number, now: number): void {
    this.send({ type: 'd2a:limit-finish', client: id, tokens, now });
  }

  async usage(ids: readonly string[], now: number): Promise<Map<string, ClientUsageNow>> {
    const rows = await this.#ask<Array<[string, ClientUsageNow]>>({ type: 'd2a:limit-usage', id: ++this.#nextId, ids: [...ids], now }, []);
    return new Map(rows);
  }

  async syncUsage(): Promise<void> {
    await this.#ask({ type: 'd2a:limit-sync', id: ++this.#nextId }, null);
  }

  onWriteHistory(write: () => Promise<void>): void {
    this.#writeHistory = write;
  }

  /** The primary asks for this worker's history (another worker reads a usage report). */
  writeHistory(token: number): void {
    void this.#writeHistory()
      .catch(() => undefined)
      .then(() => this.send({ type: 'd2a:limit-written', token }));
  }

  forget(id: string): void {
    this.send({ type: 'd2a:limit-forget', client: id });
  }

  async close(): Promise<void> {}
}

/** This worker's limits, wired to its IPC channel. */
export function workerBackend(): WorkerLimits {
  // The primary may be gone (it exits when workers keep dying): a failed send must not crash.
  const limits = new WorkerLimits((msg) => process.send?.(msg, undefined, undefined, () => undefined));
  process.on('message', (msg: unknown) => {
    if (!isPrimaryMessage(msg)) return;
    if (msg.type === 'd2a:limit-reply') limits.receive(msg.id, msg.result);
    else if (msg.type === 'd2a:write-history') limits.writeHistory(msg.token);
  });
  return limits;
}
