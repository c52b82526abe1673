import type { Dialect, SseEvent } from '../../src/dialects/dialect.js';
import type { IrEvent, WriteContext } from '../../src/dialects/ir.js';

/**
 * A dialect's push parser and writer run over async iterables, the way the pipeline feeds
 * them (one event at a time, stopping once they are done), for tests that speak in streams.
 */
export async function* parseStream(dialect: Dialect, events: AsyncIterable<SseEvent>): AsyncGenerator<IrEvent> {
  const parser = dialect.createStreamParser();
  for await (const ev of events) {
    yield* parser.push(ev);
    if (parser.done) return;
  }
  yield* parser.end();
}

export async function* writeStream(dialect: Dialect, events: AsyncIterable<IrEvent>, ctx: WriteContext): AsyncGenerator<SseEvent> {
  const writer = dialect.createStreamWriter(ctx);
  for await (const ev of events) {
    yield* writer.write(ev);
    if (writer.done) return;
  }
  yield* writer.end();
}
