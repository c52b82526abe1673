import type { IncomingHttpHeaders } from 'node:http';
import { errors, type Dispatcher } from 'undici';
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
 * A client that goes away aborts the call (before it is written, or mid-answer).
 */
export class CallHandler implements Dispatcher.DispatchHandler {
  // Dropped once settled: undici holds the handler to the end of a stream, and these
  // callbacks' scope holds the call's request (its body is an agent's whole conversation).
  #answer: ((answer: UpstreamResponse) => void) | undefined;
  #fail: ((err: unknown) => void) | undefined;
  #controller: Dispatcher.DispatchController | undefined;
  #body: UpstreamBody | undefined;
  #unlisten: (() => void) | undefined;
  #gone = false;

  constructor(signal: ClientGone | undefined, answer: (answer: UpstreamResponse) => void, fail: (err: unknown) => void) {
    this.#answer = answer;
    this.#fail = fail;
    if (signal?.aborted) this.#gone = true;
    else if (signal) this.#unlisten = signal.listen(() => this.#abort());
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    if (this.#gone) controller.abort(new errors.RequestAbortedError());
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return; // 1xx: the answer follows
    // undici 7 keeps the raw header buffers on the controller for the whole call, and the
    // socket read they were cut from with them; the body holds the controller while a stream
    // runs (minutes, at times): a heap snapshot of 500 open streams showed 14 buffers each.
    if ('rawHeaders' in controller) (controller as { rawHeaders: unknown }).rawHeaders = null;
    this.#body = new UpstreamBody(controller);
    const answer = this.#answer;
    this.#settled();
    answer?.({ status: statusCode, headers, body: this.#body });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
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

  #abort(): void {
    this.#gone = true;
    this.#controller?.abort(new errors.RequestAbortedError());
  }

  #settled(): void {
    this.#answer = undefined;
    this.#fail = undefined;
  }

  #done(): void {
    this.#unlisten?.();
    this.#unlisten = undefined;
  }
}
