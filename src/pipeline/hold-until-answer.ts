import type { IrErrorInfo, IrEvent } from '../dialects/ir.js';
import type { UpstreamBody } from '../upstream/upstream-body.js';

/** Events that show the answer has begun: after one of them a failure can no longer fail over. */
export function isAnswerEvent(ev: IrEvent): boolean {
  return ev.kind !== 'start' && ev.kind !== 'usage' && ev.kind !== 'error';
}

/** One upstream read before the answer began: what it gives the client, the IR events it completed, and whether nothing follows it. */
export interface HeldRead<T> {
  out: T;
  events: readonly IrEvent[];
  last?: boolean;
}

/**
 * Reads until the answer begins, holding what each read gives the client. Nothing has been
 * sent yet, so an error up to then (even in the read that began the answer) is returned
 * instead, and the attempt can fail over to another key; the rest of the body is then
 * discarded, leaving the connection usable. `read` answers undefined at the end of the body.
 */
export async function holdUntilAnswer<T>(body: UpstreamBody, read: () => Promise<HeldRead<T> | undefined>): Promise<{ error: IrErrorInfo } | { held: T[] }> {
  const held: T[] = [];
  for (;;) {
    const r = await read();
    if (r === undefined) break;
    held.push(r.out);
    const error = r.events.find((ev) => ev.kind === 'error');
    if (error?.kind === 'error') {
      body.discard();
      return { error: error.error };
    }
    if (r.last === true || r.events.some(isAnswerEvent)) break;
  }
  return { held };
}

/**
 * The client's chunks once the answer runs: `step` gives the next piece (empty ones are
 * skipped) and says whether it is the last; `done` runs once however the stream stops
 * (the source ended or failed, or the client stopped reading). A plain iterator on purpose,
 * not an async generator per layer: a generator handing the upstream's buffers on keeps
 * them alive longer, and each layer costs a promise and an iterator result per read
 * (docs/PERFORMANCE.md, "What was changed").
 */
export function answerChunks<T extends Uint8Array | string>(
  step: () => Promise<{ value: T; last: boolean }>,
  done: () => void,
): AsyncIterableIterator<T> {
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    done();
  };
  const next = async (): Promise<IteratorResult<T>> => {
    try {
      while (!ended) {
        const { value, last } = await step();
        if (last) end();
        if (value.length > 0) return { done: false, value };
      }
    } catch (err) {
      end();
      throw err;
    }
    return { done: true, value: undefined };
  };
  const it: AsyncIterableIterator<T> = {
    next,
    return: () => {
      end();
      return Promise.resolve({ done: true, value: undefined });
    },
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}
