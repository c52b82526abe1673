import type { BeatReply, PrimaryMessage, WorkerRequest } from '../cluster/messages.js';
import type { ProcessBeat, ProcessRegister } from './processes.js';
import type { KeyRecord, StateStore } from './store.js';
import { storeUnavailable } from './unavailable.js';

type Send = (msg: WorkerRequest) => void;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A worker's view of the primary's store (WORKERS mode). Saves are fire-and-forget
 * messages (the primary batches the writes); reads are request/reply. Status changes made
 * by other workers arrive through `onRemoteChange`. The primary's write lag comes back with
 * each heartbeat.
 */
export class ClusterStore implements StateStore {
  readonly kind = 'cluster' as const;
  #nextId = 0;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  readonly #listeners: Array<(record: KeyRecord) => void> = [];
  readonly #reloaders: Array<() => void> = [];
  readonly #valueListeners: Array<(name: string, value: string) => void> = [];
  /** The primary store's write lag as its last answer to a heartbeat gave it. */
  #primaryLagMs = 0;
  /** When each heartbeat still waiting for its answer was sent, oldest first. */
  readonly #beatsWaiting: number[] = [];

  readonly processes: ProcessRegister = {
    beat: (beat, forgetBefore) => this.#beat(beat, forgetBefore),
    seen: (since) => this.#ask({ type: 'd2a:processes', since }),
    leave: async (id) => this.send({ type: 'd2a:leave', process: id }),
  };

  constructor(private readonly send: Send) {}

  /** Feeds a message from the primary. */
  receive(msg: PrimaryMessage): void {
    switch (msg.type) {
      case 'd2a:reply': {
        const waiter = this.#pending.get(msg.id);
        this.#pending.delete(msg.id);
        if (msg.error !== undefined) waiter?.reject(msg.unavailable ? storeUnavailable() : new Error(msg.error));
        else waiter?.resolve(msg.result);
        return;
      }
      case 'd2a:key-status':
        for (const listener of this.#listeners) listener(msg.record);
        return;
      case 'd2a:reload':
        for (const reload of this.#reloaders) reload();
        return;
      case 'd2a:value':
        for (const listener of this.#valueListeners) listener(msg.name, msg.value);
        return;
      case 'd2a:limit-reply':
      case 'd2a:write-history':
        // For the client limits (clients/cluster-backend.ts), which listen on their own.
        return;
    }
  }

  #ask<T>(msg: DistributiveOmit<Extract<WorkerRequest, { id: number }>, 'id'>): Promise<T> {
    const id = ++this.#nextId;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: (v) => resolve(v as T), reject });
      this.send({ ...msg, id } as WorkerRequest);
    });
  }

  loadKeys(): Promise<KeyRecord[]> {
    return this.#ask({ type: 'd2a:load-keys' });
  }
  saveKey(record: KeyRecord): void {
    this.send({ type: 'd2a:save-key', record });
  }
  deleteKey(fingerprint: string): void {
    this.send({ type: 'd2a:delete-key', fingerprint });
  }
  loadAddedKeys(): Promise<string[]> {
    return this.#ask({ type: 'd2a:load-added' });
  }
  async addKey(secret: string): Promise<void> {
    await this.#ask({ type: 'd2a:add-key', secret });
  }
  async removeAddedKey(secret: string): Promise<void> {
    await this.#ask({ type: 'd2a:remove-added', secret });
  }
  getValue(name: string): Promise<string | undefined> {
    return this.#ask({ type: 'd2a:get-value', name });
  }
  async setValue(name: string, value: string): Promise<void> {
    await this.#ask({ type: 'd2a:set-value', name, value });
  }
  claim(name: string, until: number, now: number): Promise<boolean> {
    return this.#ask({ type: 'd2a:claim', name, until, now });
  }
  onRemoteChange(listener: (record: KeyRecord) => void): void {
    this.#listeners.push(listener);
  }
  /** Called when the primary says the key sources changed. */
  onReload(reload: () => void): void {
    this.#reloaders.push(reload);
  }
  onValue(listener: (name: string, value: string) => void): void {
    this.#valueListeners.push(listener);
  }
  async #beat(beat: ProcessBeat, forgetBefore: number): Promise<void> {
    this.#beatsWaiting.push(beat.seenAt);
    try {
      const reply = await this.#ask<BeatReply>({ type: 'd2a:beat', beat, forgetBefore });
      this.#primaryLagMs = reply.writeLagMs;
      if (!reply.written) throw new Error('the primary could not record the heartbeat');
    } finally {
      this.#beatsWaiting.splice(this.#beatsWaiting.indexOf(beat.seenAt), 1);
    }
  }

  /**
   * The primary's lag as of the last heartbeat; while a heartbeat waits for its answer, at
   * least the time since it was sent: a primary that cannot answer is not writing either.
   */
  writeLagMs(now: number): number {
    const oldest = this.#beatsWaiting[0];
    return Math.max(this.#primaryLagMs, oldest === undefined ? 0 : now - oldest);
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}
