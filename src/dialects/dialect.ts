import type { GatewayError } from '../errors.js';
import type { DialectId, IrErrorInfo, IrEvent, IrRequest, IrResponse, IrUsage, WriteContext } from './ir.js';
import type { StreamParser } from './shared/stream-parser.js';
import type { StreamWriter } from './shared/stream-writer.js';

export type { StreamParser, StreamWriter };

/** One server-sent event (https://html.spec.whatwg.org/multipage/server-sent-events.html). */
export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
}

/** A wire JSON object whose fields the gateway forwards or edits without a full type. */
export type WireObject = Record<string, unknown>;

/**
 * The public face of a dialect: everything the pipeline needs to speak it, as a client
 * dialect (parseRequest, write*, errorBody) and as an upstream dialect (buildRequest, parse*).
 * `parse*` goes wire → IR, `build*` IR → upstream request, `write*` IR → client bytes.
 */
export interface Dialect {
  readonly id: DialectId;
  /** Client request JSON → IR. Throws GatewayError('invalid_request') naming the field at fault. */
  parseRequest(body: unknown): IrRequest;
  /** IR → upstream request JSON for `model` (the upstream model id). */
  buildRequest(ir: IrRequest, model: string): WireObject;
  /** Upstream SSE events → IR events, in order, each as soon as it is known. */
  parseStream(events: AsyncIterable<SseEvent>): AsyncGenerator<IrEvent>;
  /** The same parser in push form, for watching a stream whose bytes are piped untouched. */
  createStreamParser(): StreamParser;
  /** Upstream non-stream JSON → the IR events it amounts to (ending with `finish`). */
  parseResponse(json: unknown): IrEvent[];
  /** Only the usage of a non-stream answer (pass-through reads no more than that). */
  responseUsage(json: unknown): IrUsage;
  /** IR events → client SSE events. Closes open blocks and ends the dialect's way on `finish` and on `error`. */
  writeStream(events: AsyncIterable<IrEvent>, ctx: WriteContext): AsyncGenerator<SseEvent>;
  /** The same writer in push form, which the pipeline feeds one upstream read at a time. */
  createStreamWriter(ctx: WriteContext): StreamWriter;
  /** A whole answer → the client's non-stream JSON. */
  writeResponse(res: IrResponse, ctx: WriteContext): WireObject;
  /** An error → the client's error body and HTTP status. */
  errorBody(err: GatewayError): { status: number; body: WireObject };
  /** The in-band error event(s) for a failure after the stream began (used by pass-through too). */
  streamError(err: IrErrorInfo): SseEvent[];
}
