import { LocalLimits } from '../clients/local-limits.js';
import type { PrimaryMessage, WorkerRequest } from './messages.js';
import { after } from '../runtime/timer.js';

const SYNC_WAIT_MS = 1_000;

type LimitRequest = Extract<WorkerRequest, { type: `d2a:limit-${string}` }>;

export function isLimitRequest(msg: WorkerRequest): msg is LimitRequest {
  return msg.type.startsWith('d2a:limit-');
}

/**
 * The primary's side of client limits (WORKERS mode): one count for all workers. It knows
 * which worker holds which requests in flight, so a worker that dies gives its slots back.
 */
export class LimitHub {
  readonly #inFlight = new Map<number, Map<string, number>>();
  /** History writes asked of the workers, by token: who has not answered, and what to do when all have. */
  readonly #syncs = new Map<number, { left: Set<number>; done: () => void }>();
  #token = 0;

  constructor(
    /** Sends a message to one worker; the ids of the workers alive. */
    private readonly send: (worker: number, msg: PrimaryMessage) => void = () => undefined,
    private readonly workers: () => number[] = () => [],
    readonly limits: LocalLimits = new LocalLimits(),
  ) {}

  handle(worker: number, msg: LimitRequest): PrimaryMessage | undefined {
    switch (msg.type) {
      case 'd2a:limit-sync': {
        const others = new Set(this.workers().filter((id) => id !== worker));
        const done = () => this.send(worker, { type: 'd2a:limit-reply', id: msg.id, result: null });
        if (others.size === 0) return { type: 'd2a:limit-reply', id: msg.id, result: null };
        const token = ++this.#token;
        this.#syncs.set(token, { left: others, done });
        for (const id of others) this.send(id, { type: 'd2a:write-history', token });
        // A worker busy or dying does not hold the report up for long.
        after(SYNC_WAIT_MS, () => {
          if (this.#syncs.delete(token)) done();
        });
        return undefined;
      }
      case 'd2a:limit-written': {
        const sync = this.#syncs.get(msg.token);
        sync?.left.delete(worker);
        if (sync && sync.left.size === 0) {
          this.#syncs.delete(msg.token);
          sync.done();
        }
        return undefined;
      }
      case 'd2a:limit-admit': {
        const refusal = this.limits.admit(msg.client.id, msg.client.limits, msg.now);
        if (!refusal) this.#count(worker, msg.client.id, 1);
        return { type: 'd2a:limit-reply', id: msg.id, result: refusal ?? null };
      }
      case 'd2a:limit-finish':
        this.#count(worker, msg.client, -1);
        this.limits.finish(msg.client, msg.tokens, msg.now);
        return undefined;
      case 'd2a:limit-usage':
        return { type: 'd2a:limit-reply', id: msg.id, result: msg.ids.map((id) => [id, this.limits.usage(id, msg.now)]) };
      case 'd2a:limit-forget':
        this.limits.forget(msg.client);
        return undefined;
    }
  }

  /** A worker is gone: the requests it held in flight end with it. */
  workerGone(worker: number, now: number): void {
    const held = this.#inFlight.get(worker);
    this.#inFlight.delete(worker);
    for (const [client, n] of held ?? []) for (let i = 0; i < n; i++) this.limits.finish(client, 0, now);
  }

  #count(worker: number, client: string, delta: number): void {
    let held = this.#inFlight.get(worker);
    if (!held) this.#inFlight.set(worker, (held = new Map()));
    const n = (held.get(client) ?? 0) + delta;
    if (n > 0) held.set(client, n);
    else held.delete(client);
  }
}
