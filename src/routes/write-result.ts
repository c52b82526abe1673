import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { Dialect, SseEvent } from '../dialects/dialect.js';
import type { ProxyResult } from '../pipeline/proxy.js';
import { errorInfo } from '../pipeline/stream-guard.js';
import { formatSse } from '../upstream/sse/format.js';

/** How many upstream attempts (keys) the answer took; useful when watching failover. */
export const ATTEMPTS_HEADER = 'x-droid2api-attempts';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Tells nginx-style proxies in front of the gateway not to buffer the stream.
  'x-accel-buffering': 'no',
};

/** Writes one chunk, waiting for the socket to drain when the client reads slowly. */
async function write(raw: ServerResponse, chunk: string | Uint8Array): Promise<void> {
  if (raw.destroyed) return;
  if (!raw.write(chunk)) await Promise.race([once(raw, 'drain'), once(raw, 'close')]);
}

async function writeStream<T>(
  reply: FastifyReply,
  chunks: AsyncIterable<T>,
  encode: (chunk: T) => string | Uint8Array,
  onError: (err: unknown) => SseEvent[],
  attempts: number,
): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { ...SSE_HEADERS, [ATTEMPTS_HEADER]: String(attempts) });
  try {
    for await (const chunk of chunks) {
      if (raw.destroyed) break;
      await write(raw, encode(chunk));
    }
  } catch (err) {
    reply.log.warn({ err }, 'stream failed after it began');
    for (const ev of onError(err)) await write(raw, formatSse(ev));
  }
  raw.end();
}

const asIs = (chunk: Uint8Array) => chunk;

/** Sends what the pipeline produced: JSON, or a stream written event by event with back-pressure. */
export async function writeResult(reply: FastifyReply, result: ProxyResult & { attempts: number }, client: Dialect): Promise<void> {
  const { attempts } = result;
  void reply.header(ATTEMPTS_HEADER, String(attempts));
  switch (result.kind) {
    case 'json':
      await reply.code(result.status).send(result.body);
      return;
    case 'json-bytes':
      await reply.code(result.status).type('application/json').send(result.body);
      return;
    case 'sse':
      await writeStream(reply, result.events, formatSse, (err) => client.streamError(errorInfo(err)), attempts);
      return;
    case 'sse-bytes':
      await writeStream(reply, result.body, asIs, (err) => result.onError(errorInfo(err)), attempts);
      return;
  }
}
