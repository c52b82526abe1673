import { emptyKeyRecord, isSharedResult, type KeyRecord, type KeyRecordDraft, type StateStore } from '../state/store.js';
import { isStoreUnavailable } from '../state/unavailable.js';
import type { ProcessBeat } from '../state/processes.js';
import { systemClock, type Clock } from '../runtime/clock.js';
import type { BeatReply, PrimaryMessage, WorkerRequest } from './messages.js';

type StatusFields = Pick<KeyRecord, 'status' | 'coolingUntil' | 'reason' | 'changedAt'>;

const statusOf = (r: KeyRecord): StatusFields => ({ status: r.status, coolingUntil: r.coolingUntil, reason: r.reason, changedAt: r.changedAt });

/**
 * The primary's side of shared key state (WORKERS mode). It owns the one store. Workers
 * count from zero and send their records; the hub keeps each worker's latest record, so the
 * persisted counters are the counts loaded at start plus every worker's, and a key's status
 * is the most recent change any worker made, broadcast to the others at once.
 */
export class StateHub {
  readonly #base = new Map<string, KeyRecord>();
  readonly #status = new Map<string, StatusFields>();
  readonly #workers = new Map<number, Map<string, KeyRecord>>();

  constructor(
    private readonly store: StateStore,
    /** Sends a message to every worker but `except` (undefined: to all). */
    private readonly broadcast: (msg: PrimaryMessage, except?: number) => void,
    private readonly clock: Clock = systemClock,
  ) {}

  async init(): Promise<void> {
    for (const r of await this.store.loadKeys()) {
      this.#base.set(r.fingerprint, r);
      this.#status.set(r.fingerprint, statusOf(r));
    }
    // Other replicas sharing the store (Redis): their status changes and key-list changes reach every worker too.
    this.store.onRemoteChange?.((record) => this.#remote(record));
    this.store.onReload?.(() => this.broadcast({ type: 'd2a:reload' }));
  }

  #remote(record: KeyRecord): void {
    const fp = record.fingerprint;
    const known = this.#status.get(fp);
    if ((record.changedAt ?? -1) < (known?.changedAt ?? -1)) return;
    this.#status.set(fp, statusOf(record));
    this.broadcast({ type: 'd2a:key-status', record: { ...emptyKeyRecord(fp), ...statusOf(record) } });
  }

  /** Handles one worker message; returns the reply to send back, if the message asks for one. */
  async handle(worker: number, msg: WorkerRequest): Promise<PrimaryMessage | undefined> {
    switch (msg.type) {
      case 'd2a:save-key':
        this.#save(worker, msg.record);
        return undefined;
      case 'd2a:delete-key':
        this.store.deleteKey(msg.fingerprint);
        return undefined;
      case 'd2a:load-keys':
        return this.#reply(msg.id, () => [...this.#status].map(([fp, status]) => ({ ...emptyKeyRecord(fp), ...status })));
      case 'd2a:load-added':
        return this.#reply(msg.id, () => this.store.loadAddedKeys());
      case 'd2a:get-value':
        return this.#reply(msg.id, () => this.store.getValue(msg.name));
      case 'd2a:add-key':
        return this.#reply(msg.id, () => this.store.addKey(msg.secret), worker);
      case 'd2a:remove-added':
        return this.#reply(msg.id, () => this.store.removeAddedKey(msg.secret), worker);
      case 'd2a:set-value':
        return this.#reply(
          msg.id,
          async () => {
            await this.store.setValue(msg.name, msg.value);
            if (!isSharedResult(msg.name)) this.broadcast({ type: 'd2a:value', name: msg.name, value: msg.value }, worker);
          },
          isSharedResult(msg.name) ? undefined : worker,
        );
      case 'd2a:beat':
        return { type: 'd2a:reply', id: msg.id, result: await this.#beat(msg.beat, msg.forgetBefore) };
      case 'd2a:processes':
        return this.#reply(msg.id, () => this.store.processes.seen(msg.since));
      case 'd2a:leave':
        await this.store.processes.leave(msg.process).catch(() => undefined);
        return undefined;
      case 'd2a:claim':
        // A store without claims leaves the job to every caller, as it would in one process.
        return this.#reply(msg.id, () => this.store.claim?.(msg.name, msg.until, msg.now) ?? true);
      default:
        // Client limits are the LimitHub's (cluster/limit-hub.ts).
        return undefined;
    }
  }

  /** Records a worker's heartbeat; the answer carries the lag whether or not the store took it (a store that is down is when it grows). */
  async #beat(beat: ProcessBeat, forgetBefore: number): Promise<BeatReply> {
    const written = await this.store.processes.beat(beat, forgetBefore).then(() => true, () => false);
    return { written, writeLagMs: this.store.writeLagMs?.(this.clock.now()) ?? 0 };
  }

  /** Answers a request; a change to the key sources makes the other workers reload. */
  async #reply(id: number, run: () => unknown, changedBy?: number): Promise<PrimaryMessage> {
    try {
      const result = await run();
      if (changedBy !== undefined) this.broadcast({ type: 'd2a:reload' }, changedBy);
      return { type: 'd2a:reply', id, result };
    } catch (err) {
      return { type: 'd2a:reply', id, error: err instanceof Error ? err.message : 'store error', ...(isStoreUnavailable(err) ? { unavailable: true } : {}) };
    }
  }

  #save(worker: number, record: KeyRecord): void {
    const fp = record.fingerprint;
    let mine = this.#workers.get(worker);
    if (!mine) this.#workers.set(worker, (mine = new Map()));
    mine.set(fp, record);
    const known = this.#status.get(fp);
    if (record.changedAt !== undefined && (known?.changedAt === undefined || record.changedAt > known.changedAt)) {
      this.#status.set(fp, statusOf(record));
      this.broadcast({ type: 'd2a:key-status', record: { ...emptyKeyRecord(fp), ...statusOf(record) } }, worker);
    }
    this.store.saveKey(this.merged(fp));
  }

  /** The persisted view of a key: its latest status and everyone's counts added up. */
  merged(fp: string): KeyRecord {
    const out: KeyRecordDraft = { ...emptyKeyRecord(fp), ...(this.#base.get(fp) ?? {}), byStatus: { ...this.#base.get(fp)?.byStatus }, ...this.#status.get(fp) };
    for (const records of this.#workers.values()) {
      const r = records.get(fp);
      if (!r) continue;
      out.success += r.success;
      out.failure += r.failure;
      out.tokensIn += r.tokensIn;
      out.tokensOut += r.tokensOut;
      out.tokensCached += r.tokensCached;
      for (const [status, n] of Object.entries(r.byStatus)) out.byStatus[status] = (out.byStatus[status] ?? 0) + n;
      if ((r.lastUsed ?? 0) > (out.lastUsed ?? 0)) {
        out.lastUsed = r.lastUsed;
        out.lastError = r.lastError;
      }
    }
    return out;
  }
}
