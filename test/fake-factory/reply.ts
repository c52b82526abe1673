import type { ServerResponse } from 'node:http';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { everyByte, randomSlices, seededRandom } from './pieces.js';
import { formatFrame, type Frame } from './sse.js';
import type { Chunking } from './types.js';

export type Headers = Record<string, string>;

export type Reply =
  | { kind: 'json'; status: number; headers: Headers; body: unknown; cut: boolean }
  | { kind: 'sse'; status: number; headers: Headers; frames: Frame[]; eol: string; cut: boolean; stall?: boolean };

export interface WriteOptions {
  chunking: Chunking;
  chunkDelayMs: number | undefined;
}

const SSE_HEADERS: Headers = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
};

/** Renders the reply into the pieces that go out as separate socket writes. */
function pieces(reply: Reply, chunking: Chunking): Array<string | Buffer> {
  const units =
    reply.kind === 'json' ? [JSON.stringify(reply.body)] : reply.frames.map((f) => formatFrame(f, reply.eol));
  if (reply.kind === 'json' && reply.cut) {
    // A cut JSON body stops half-way, as when the upstream connection drops mid-body.
    const bytes = Buffer.from(units[0] ?? '');
    return [bytes.subarray(0, Math.floor(bytes.length / 2))];
  }
  if (chunking === 'per-event') return units;
  const whole = units.join('');
  if (chunking === 'whole') return [whole];
  const bytes = Buffer.from(whole);
  if (chunking === 'every-byte') return everyByte(bytes);
  return randomSlices(bytes, chunking.maxSize, seededRandom(chunking.seed));
}

async function pause(delayMs: number | undefined): Promise<void> {
  // setImmediate lets each piece leave as its own write (and TCP segment, with no-delay).
  if (delayMs === undefined || delayMs <= 0) await nextTurn();
  else await sleep(delayMs);
}

function write(res: ServerResponse, piece: string | Buffer): Promise<void> {
  return new Promise((resolve) => {
    // The callback fires once the piece is flushed to the socket (or the socket failed).
    res.write(piece, () => resolve());
  });
}

function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Resolves once the client has closed the connection (or at once if it has). */
export function closed(res: ServerResponse): Promise<void> {
  if (res.destroyed || res.socket === null || res.socket.destroyed) return Promise.resolve();
  return new Promise((resolve) => res.once('close', () => resolve()));
}

/** Sends the reply piece by piece; resolves to the status keyLog records (0 for a cut). */
export async function sendReply(res: ServerResponse, reply: Reply, options: WriteOptions): Promise<number> {
  const body = pieces(reply, options.chunking);
  const headers: Headers = reply.kind === 'sse' ? { ...SSE_HEADERS, ...reply.headers } : { ...reply.headers };
  if (reply.kind === 'json') {
    headers['content-type'] = 'application/json';
    if (!reply.cut) headers['content-length'] = String(body.reduce((n, p) => n + Buffer.byteLength(p), 0));
  }
  res.socket?.setNoDelay(true);
  res.writeHead(reply.status, headers);
  for (let i = 0; i < body.length; i += 1) {
    if (res.destroyed) return reply.status;
    const piece = body[i] ?? '';
    if (i === body.length - 1 || options.chunking === 'whole') await write(res, piece);
    else if (!res.write(piece)) await drained(res);
    if (i < body.length - 1) await pause(options.chunkDelayMs);
  }
  if (reply.cut) {
    res.destroy();
    return 0;
  }
  if (reply.kind === 'sse' && reply.stall === true) {
    await closed(res);
    return 0;
  }
  res.end();
  return reply.status;
}
