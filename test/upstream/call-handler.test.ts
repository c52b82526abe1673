import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { CallHandler } from '../../src/upstream/call-handler.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const controller = { pause: () => undefined, resume: () => undefined, abort: () => undefined, aborted: false, paused: false, reason: null } as Dispatcher.DispatchController;

/** A handler whose callbacks hold a big request, as the upstream client's do; and a weak handle on that request. */
function handlerHoldingRequest(): { handler: CallHandler; request: WeakRef<object> } {
  const req = { body: 'x'.repeat(100_000) };
  const handler = new CallHandler(undefined, () => void req.body, () => void req.body);
  return { handler, request: new WeakRef(req) };
}

async function collected(ref: WeakRef<object>): Promise<boolean> {
  await new Promise((r) => setImmediate(r)); // a WeakRef keeps its target to the end of the job
  gc();
  return ref.deref() === undefined;
}

describe('CallHandler', () => {
  it('lets go of the call once the answer began: undici holds the handler to the end of a stream', async () => {
    const { handler, request } = handlerHoldingRequest();
    handler.onRequestStart(controller);
    handler.onResponseStart(controller, 200, { 'content-type': 'text/event-stream' });
    expect(await collected(request)).toBe(true);
    handler.onResponseData(controller, Buffer.from('data: x\n\n'));
    handler.onResponseEnd();
  });

  it('and once the call failed before any answer', async () => {
    const { handler, request } = handlerHoldingRequest();
    handler.onRequestStart(controller);
    handler.onResponseError(controller, new Error('connect ECONNREFUSED'));
    expect(await collected(request)).toBe(true);
  });

  it('keeps the call while it waits: an informational answer (1xx) is not the answer', async () => {
    const { handler, request } = handlerHoldingRequest();
    handler.onRequestStart(controller);
    handler.onResponseStart(controller, 100, {});
    expect(await collected(request)).toBe(false);
    handler.onResponseStart(controller, 200, {});
  });
});
