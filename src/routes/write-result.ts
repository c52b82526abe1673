import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import type { FastifyReply } from 'fastify';
import type { Dialect } from '../dialects/dialect.js';
import type { ProxyResult } from '../pipeline/proxy.js';
import { errorInfo } from '../pipeline/stream-guard.js';
import type { ClientGone } from '../upstream/client-gone.js';
import { formatSse } from '../upstream/sse/format.js';
import type { RequestRecord } from '../observability/request-record.js';
import { SHUTTING_DOWN } from './open-streams.js';

/** How many upstream attempts (keys) the answer took; useful when watching failover. */
export const ATTEMPTS_HEADER = 'x-droid2api-attempts';

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // Tells nginx-style proxies in front of the gateway not to buffer the stream.
  'x-accel-buffering': 'no',
};

/** Resolves once a slow client has read what was written, or has gone. */
function drained(raw: ServerResponse): Promise<unknown> {
  return Promise.race([once(raw, 'drain'), once(raw, 'close')]);
}

/**
 * Pipes an SSE stream already in the client's dialect; a failure after it began is the
 * dialect's error event. A shutdown that reaches its deadline cuts the stream the same way
 * and aborts the upstream call.
 */
async function writeStream(reply: FastifyReply, chunks: AsyncIterable<string | Uint8Array>, client: Dialect, attempts: number, record?: RequestRecord, gone?: ClientGone): Promise<void> {
  reply.hijack();
  const raw = reply.raw;
  raw.writeHead(200, { ...SSE_HEADERS, [ATTEMPTS_HEADER]: String(attempts) });
  let cut = false;
  const unregister = reply.server.openStreams.register(() => {
    if (raw.destroyed || raw.writableEnded) return;
    cut = true;
    raw.end(client.streamError(SHUTTING_DOWN).map(formatSse).join(''));
    gone?.abort();
  });
  try {
    for await (const chunk of chunks) {
      if (cut || raw.destroyed) break;
      record?.firstByte();
      // Back-pressure: only a client that reads slowly costs an await.
      if (!raw.write(chunk)) await drained(raw);
    }
  } catch (err) {
    if (!cut) reply.log.warn({ err }, 'stream failed after it began');
    if (record && !cut) record.streamOutcome ??= 'upstream_cut';
    if (!cut && !raw.destroyed) raw.write(client.streamError(errorInfo(err)).map(formatSse).join(''));
  } finally {
    unregister();
  }
  if (!cut) raw.end();
}

/** Sends what the pipeline produced: JSON, or a stream written event by event with back-pressure. */
export async function writeResult(reply: FastifyReply, result: ProxyResult & { attempts: number }, client: Dialect, record?: RequestRecord, gone?: ClientGone): Promise<void> {
  const { attempts } = result;
  void reply.header(ATTEMPTS_HEADER, String(attempts));
  if (result.kind !== 'sse') record?.firstByte();
  switch (result.kind) {
    case 'json':
      await reply.code(result.status).send(result.body);
      return;
    case 'json-bytes':
      await reply.code(result.status).type('application/json').send(result.body);
      return;
    case 'sse':
      await writeStream(reply, result.chunks, client, attempts, record, gone);
      return;
  }
}
