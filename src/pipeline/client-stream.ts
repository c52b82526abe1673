import type { StreamWriter } from '../dialects/dialect.js';
import type { IrErrorInfo, IrEvent, IrUsage } from '../dialects/ir.js';
import { formatSse } from '../upstream/sse/format.js';
import type { UpstreamBody } from '../upstream/upstream-body.js';
import { isAnswerEvent } from './passthrough-watch.js';
import type { UpstreamReader } from './upstream-events.js';

/** IR events → the client's SSE text for them ('' when they complete no event); stops once the writer is done. */
export function encode(writer: StreamWriter, events: IrEvent[]): string {
  let text = '';
  for (const ev of events) {
    for (const out of writer.write(ev)) text += formatSse(out);
    if (writer.done) break;
  }
  return text;
}

/** What a writer still owes the client when its events ran out without ending it. */
export function writerTail(writer: StreamWriter): string {
  return writer.done ? '' : writer.end().map(formatSse).join('');
}

export type ConvertedStream = { error: IrErrorInfo } | { chunks: AsyncIterableIterator<string> };

/**
 * A converted stream: an upstream SSE body → the client dialect's SSE, one string (one
 * socket write) per upstream read, the reader and writer both synchronous. Reads are held
 * until the answer begins; an error before then, even in the read that began the answer
 * (nothing has been sent yet), is returned instead, so the attempt can fail over. After
 * that, the chunks come through a plain iterator (not async generators stacked per layer:
 * each layer cost a promise and an iterator result per read). The usage seen is reported
 * once, when the stream ends or the client stops reading it; the body is then drained
 * back to the connection pool rather than destroyed.
 */
export async function convertStream(
  body: UpstreamBody,
  reader: UpstreamReader,
  writer: StreamWriter,
  onUsage: (usage: IrUsage) => void,
  onBroken?: (how: 'upstream_error' | 'upstream_cut') => void,
): Promise<ConvertedStream> {
  const source = body[Symbol.asyncIterator]();
  /** The reader has given its last batch (the body ended, failed, or the answer stopped). */
  let closed = false;
  /** The answer has begun: an error from now on reaches the client instead of failing over. */
  let begun = false;
  const readOnce = async (): Promise<IrEvent[]> => {
    try {
      const next = await source.next();
      if (next.done) {
        closed = true;
        return broken(reader.end(), 'upstream_cut');
      }
      const batch = reader.read(next.value);
      if (!reader.stopped) return broken(batch, 'upstream_error');
      closed = true;
      return broken([...batch, ...reader.end()], 'upstream_error');
    } catch (err) {
      closed = true;
      return broken(reader.fail(err), 'upstream_cut');
    }
  };
  /** A batch with an error event: the stream broke, by the upstream's word or by being cut. */
  const broken = (batch: IrEvent[], how: 'upstream_error' | 'upstream_cut'): IrEvent[] => {
    if (begun && onBroken !== undefined && batch.some((ev) => ev.kind === 'error')) onBroken(how);
    return batch;
  };
  const held: IrEvent[] = [];
  for (;;) {
    const batch = await readOnce();
    held.push(...batch);
    const error = batch.find((ev) => ev.kind === 'error');
    if (error?.kind === 'error') {
      body.discard();
      return { error: error.error };
    }
    if (closed || batch.some(isAnswerEvent)) break;
  }

  begun = true;
  let first = encode(writer, held);
  let ended = false;
  const end = (): void => {
    if (ended) return;
    ended = true;
    onUsage(reader.usage);
    body.discard();
  };
  const next = async (): Promise<IteratorResult<string>> => {
    try {
      while (!ended) {
        let text = first;
        first = '';
        if (text === '' && !closed && !writer.done) text = encode(writer, await readOnce());
        if (closed || writer.done) {
          text += writerTail(writer);
          end();
        }
        if (text !== '') return { done: false, value: text };
      }
    } catch (err) {
      end();
      throw err;
    }
    return { done: true, value: undefined };
  };
  const chunks: AsyncIterableIterator<string> = {
    next,
    return: async () => {
      end();
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]: () => chunks,
  };
  return { chunks };
}
