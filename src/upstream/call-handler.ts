import type { IncomingHttpHeaders } from 'node:http';
import { errors, type Dispatcher } from 'undici';
import { GatewayError } from '../errors.js';
import { after, type Timer } from '../runtime/timer.js';
import type { ClientGone } from './client-gone.js';
import { UpstreamBody } from './upstream-body.js';

/** An answer's status and headers, and its body as it arrives (no web-streams layer, no Node stream). */
export interface UpstreamResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: UpstreamBody;
}

/**
 * One upstream call's undici dispatch handler: settles with the answer's status and headers
 * as soon as they arrive, then feeds the body. undici's `request()` wraps the same handler
 * API in an AsyncResource and a Node Readable per call, which the gateway does not need.
 * A client that goes away aborts the call (before it is written, or mid-answer), and so
 * does a first-byte limit that passes before the answer's first body byte (headers alone
 * do not count: an upstream can send them and then nothing).
 */
export class CallHandler implements Dispatcher.DispatchHandler {
  // Dropped once settled: undici holds the handler to the end of a stream, and these
  // callbacks' scope holds the call's request (its body is an agent's whole conversation).
  #answer: ((answer: UpstreamResponse) => void) | undefined;
  #fail: ((err: unknown) => void) | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  #body: UpstreamBody | undefined;
  #unlisten: (() => void) | undefined;
  #firstByte: Timer | undefined;
  /** Why the call was stopped before undici handed over its controller. */
  #stopped: Error | undefined;

  constructor(
    signal: ClientGone | undefined,
    answer: (answer: UpstreamResponse) => void,
    fail: (err: unknown) => void,
    firstByteMs?: number,
  ) {
    this.#answer = answer;
    this.#fail = fail;
    if (signal?.aborted) this.#stopped = new errors.RequestAbortedError();
    else if (signal) this.#unlisten = signal.listen(() => this.#abort(new errors.RequestAbortedError()));
    if (firstByteMs !== undefined && this.#stopped === undefined) {
      this.#firstByte = after(firstByteMs, () => {
        this.#firstByte = undefined;
        this.#abort(new GatewayError('upstream_timeout', `the upstream sent no answer within ${firstByteMs} ms`, { retryable: true }));
      });
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#stopped !== undefined) controller.abort(this.#stopped);
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // 1xx: the answer follows
    // undici 7 keeps the raw header buffers on the controller for the whole call, and the
    // socket read they were cut from with them; the body holds the controller while a stream
    // runs (minutes, at times), so every open stream would keep those buffers alive.
    if ('rawHeaders' in controller) (controller as { rawHeaders: unknown }).rawHeaders = null;
    this.#body = new UpstreamBody(controller);
    const answer = this.#answer;
    this.#settled();
    answer?.({ status: statusCode, headers, body: this.#body });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#firstByte !== undefined) {
      this.#firstByte.cancel();
      this.#firstByte = undefined;
    }
    this.#body?.push(chunk);
  }

  onResponseEnd(): void {
    this.#done();
    this.#body?.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#done();
    if (this.#body) {
      this.#body.fail(error);
      return;
    }
    const fail = this.#fail;
    this.#settled();
    fail?.(error);
  }

  #abort(reason: Error): void {
    this.#stopped ??= reason;
    this.#controller?.abort(reason);
  }

  #settled(): void {
    this.#answer = undefined;
    this.#fail = undefined;
  }

  #done(): void {
    this.#unlisten?.();
    this.#unlisten = undefined;
    this.#firstByte?.cancel();
    this.#firstByte = undefined;
  }
}
