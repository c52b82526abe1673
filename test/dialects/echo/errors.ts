/** Echo errors: `{error:{code,message}}`, as a body or as an `error` event. */
import type { GatewayError } from '../../../src/errors.js';
import type { SseEvent, WireObject } from '../../../src/dialects/dialect.js';
import type { IrErrorInfo } from '../../../src/dialects/ir.js';
import { jsonEvent } from '../../../src/dialect-kit/json.js';

export function echoErrorBody(err: GatewayError): { status: number; body: WireObject } {
  return { status: err.status, body: { error: { code: err.code, message: err.message } } };
}

export function echoStreamError(err: IrErrorInfo): SseEvent[] {
  return [jsonEvent({ error: { code: err.code, message: err.message } }, 'error')];
}
