import type { StreamWriter } from '../dialects/dialect.js';
import type { IrErrorInfo, IrEvent, IrUsage } from '../dialects/ir.js';
import { formatSse } from '../upstream/sse/format.js';
import type { UpstreamBody } from '../upstream/upstream-body.js';
import { answerChunks, holdUntilAnswer } from './hold-until-answer.js';
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
 * (nothing has been sent yet), is returned instead, so the attempt can fail over
 * (`holdUntilAnswer`). After that, the chunks come through one plain iterator
 * (`answerChunks`). The usage seen is reported once, when the stream ends or the client
 * stops reading it; the body is then drained back to the connection pool rather than
 * destroyed.
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
  const start = await holdUntilAnswer(body, async () => {
    const batch = await readOnce();
    return { out: batch, events: batch, last: closed };
  });
  if ('error' in start) return start;

  begun = true;
  let first = encode(writer, start.held.flat());
  const step = async (): Promise<{ value: string; last: boolean }> => {
    let text = first;
    first = '';
    if (text === '' && !closed && !writer.done) text = encode(writer, await readOnce());
    const last = closed || writer.done;
    if (last) text += writerTail(writer);
    return { value: text, last };
  };
  const chunks = answerChunks(step, () => {
    onUsage(reader.usage);
    body.discard();
  });
  return { chunks };
}
