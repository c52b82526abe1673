import type { IrErrorInfo, IrEvent } from '../dialects/ir.js';
import { GatewayError, toGatewayError } from '../errors.js';
import { upstreamTransportError } from '../upstream/client.js';

export function errorInfo(err: unknown): IrErrorInfo {
  const e = err instanceof GatewayError ? err : isTransport(err) ? upstreamTransportError(err) : toGatewayError(err);
  return { code: e.code, message: e.message, status: e.status };
}

function isTransport(err: unknown): boolean {
  return err instanceof Error && ('code' in err || err.name === 'AbortError');
}

/**
 * Makes an upstream event stream end the dialect-neutral way: a thrown error (cut
 * connection, malformed event) becomes an `error` event, and a stream that stops with
 * neither `finish` nor `error` is reported as truncated rather than silently ended.
 */
export async function* guardStream(events: AsyncIterable<IrEvent>): AsyncGenerator<IrEvent> {
  let ended = false;
  try {
    for await (const ev of events) {
      if (ev.kind === 'finish') ended = true;
      yield ev;
      if (ev.kind === 'error') return;
    }
  } catch (err) {
    yield { kind: 'error', error: errorInfo(err) };
    return;
  }
  if (!ended) {
    yield { kind: 'error', error: { code: 'upstream_error', message: 'upstream stream ended before it finished', status: 502 } };
  }
}

export async function* fromArray<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

export async function toArray<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
