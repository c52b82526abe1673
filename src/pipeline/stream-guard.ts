import type { IrErrorInfo, IrEvent } from '../dialects/ir.js';
import { GatewayError, toGatewayError } from '../errors.js';
import { upstreamTransportError } from '../upstream/client.js';
import { TRUNCATED_STREAM } from '../dialect-kit/truncated.js';

export function errorInfo(err: unknown): IrErrorInfo {
  const e = err instanceof GatewayError ? err : isTransport(err) ? upstreamTransportError(err) : toGatewayError(err);
  return { code: e.code, message: e.message, status: e.status };
}

function isTransport(err: unknown): boolean {
  return err instanceof Error && ('code' in err || err.name === 'AbortError');
}

/** What an upstream answer that stopped with neither `finish` nor `error` amounts to. */
export const TRUNCATED: IrEvent = { kind: 'error', error: TRUNCATED_STREAM };

/** A whole answer's events, ended the dialect-neutral way: one that never finished is reported as truncated. */
export function guardAnswer(events: IrEvent[]): IrEvent[] {
  return events.some((e) => e.kind === 'finish' || e.kind === 'error') ? events : [...events, TRUNCATED];
}
