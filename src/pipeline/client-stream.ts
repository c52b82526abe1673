import type { StreamWriter } from '../dialects/dialect.js';
import type { IrErrorInfo, IrEvent } from '../dialects/ir.js';
import { isAnswerEvent } from './passthrough-watch.js';
import { formatSse } from '../upstream/sse/format.js';

/** A batch of IR events → the client's SSE text for it ('' when it completes no event). */
function encode(writer: StreamWriter, batch: IrEvent[]): string {
  let text = '';
  for (const ev of batch) {
    for (const out of writer.write(ev)) text += formatSse(out);
    if (writer.done) break;
  }
  return text;
}

/**
 * Converted IR batches → the client dialect's SSE, one string per upstream read: the
 * push writer runs synchronously over each batch, so a read costs one async hop and one
 * socket write however many events it carried. Stopping early returns the source too.
 */
export async function* clientStream(batches: AsyncIterable<IrEvent[]>, writer: StreamWriter): AsyncGenerator<string> {
  for await (const batch of batches) {
    const text = encode(writer, batch);
    if (text !== '') yield text;
    if (writer.done) return;
  }
  const tail = writer.end().map(formatSse).join('');
  if (tail !== '') yield tail;
}

/**
 * Holds batches until the answer begins. An error in a held batch (even after the answer's
 * first event, within the same upstream read: nothing has been sent yet) is returned
 * instead, so the attempt can fail over to another key, as the pass-through watcher does;
 * after that, the held batches and the rest follow.
 */
export async function holdUntilAnswer(
  batches: AsyncGenerator<IrEvent[]>,
): Promise<{ error: IrErrorInfo } | { batches: AsyncIterableIterator<IrEvent[]> }> {
  const held: IrEvent[][] = [];
  for (;;) {
    const next = await batches.next();
    if (next.done) break;
    held.push(next.value);
    const error = next.value.find((ev) => ev.kind === 'error');
    if (error?.kind === 'error') return { error: error.error };
    if (next.value.some(isAnswerEvent)) return { batches: prepend(held, batches) };
  }
  return { batches: prepend(held, batches) };
}

/**
 * The held batches, then the rest of the stream, as a plain iterator rather than one more
 * async generator around every later batch; returning it early returns the source too.
 */
function prepend<T>(held: T[], rest: AsyncGenerator<T>): AsyncIterableIterator<T> {
  let i = 0;
  const it: AsyncIterableIterator<T> = {
    next: () => (i < held.length ? Promise.resolve({ done: false, value: held[i++]! }) : rest.next()),
    return: async () => {
      await rest.return(undefined);
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => it,
  };
  return it;
}
