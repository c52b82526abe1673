import type { GatewayError } from '../errors.js';
import type { IrErrorInfo, IrEvent, IrRequest, IrResponse, IrUsage, WriteContext } from './ir.js';
import type { DialectProfile } from './profile.js';
import type { StreamParser } from '../dialect-kit/stream-parser.js';
import type { StreamWriter } from '../dialect-kit/stream-writer.js';

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
 * dialect (parseRequest, createStreamWriter, writeResponse, errorBody, streamError) and as an
 * upstream dialect (buildRequest, createStreamParser, parseResponse, responseUsage).
 * `parse*` goes wire → IR, `build*` IR → upstream request, `write*` IR → client bytes.
 */
export interface Dialect<Id extends string = string> {
  readonly id: Id;
  /** The facts the pipeline, its policies and the routes read (profile.ts in the dialect's folder). */
  readonly profile: DialectProfile;
  /** Client request JSON → IR. Throws GatewayError('invalid_request') naming the field at fault. */
  parseRequest(body: unknown): IrRequest;
  /** IR → upstream request JSON for `model` (the upstream model id). */
  buildRequest(ir: IrRequest, model: string): WireObject;
  /** A parser of one upstream stream: each SSE event in, the IR events it completes out. */
  createStreamParser(): StreamParser;
  /** Upstream non-stream JSON → the IR events it amounts to (ending with `finish`). */
  parseResponse(json: unknown): IrEvent[];
  /** Only the usage of a non-stream answer (pass-through reads no more than that). */
  responseUsage(json: unknown): IrUsage;
  /**
   * A writer of one client stream: each IR event in, the client SSE events it completes out.
   * Closes open blocks and ends the dialect's way on `finish` and on `error`.
   */
  createStreamWriter(ctx: WriteContext): StreamWriter;
  /** A whole answer → the client's non-stream JSON. */
  writeResponse(res: IrResponse, ctx: WriteContext): WireObject;
  /** An error → the client's error body and HTTP status. */
  errorBody(err: GatewayError): { status: number; body: WireObject };
  /** The in-band error event(s) for a failure after the stream began (used by pass-through too). */
  streamError(err: IrErrorInfo): SseEvent[];
}
