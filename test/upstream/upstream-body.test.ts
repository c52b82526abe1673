import { describe, expect, it } from 'vitest';
import { UpstreamBody, type BodyFlow } from '../../src/upstream/upstream-body.js';

/** A producer's flow controls that record what the body asked of them. */
function recordingFlow(): BodyFlow & { calls: string[] } {
  const calls: string[] = [];
  return { calls, pause: () => calls.push('pause'), resume: () => calls.push('resume'), abort: (r) => calls.push(`abort: ${r.message}`) };
}

const text = (read: IteratorResult<Buffer>) => (read.done ? 'done' : read.value.toString('utf8'));
const tick = () => new Promise((r) => setImmediate(r));

describe('UpstreamBody', () => {
  it('of(): gives one read per next(), as if each had arrived alone, and bytes() joins them', async () => {
    const it = UpstreamBody.of(['a', Buffer.from('bc'), new Uint8Array([100])])[Symbol.asyncIterator]();
    expect([text(await it.next()), text(await it.next()), text(await it.next()), text(await it.next())]).toEqual(['a', 'bc', 'd', 'done']);
    expect((await UpstreamBody.of(['a', 'bc', 'd']).bytes()).toString()).toBe('abcd');
  });

  it('hands a waiting reader everything pushed in the same turn as one read', async () => {
    const body = new UpstreamBody(recordingFlow());
    const it = body[Symbol.asyncIterator]();
    const first = it.next();
    // One socket read parsed into three chunked-encoding pieces.
    body.push(Buffer.from('event: a\n\n'));
    body.push(Buffer.from('event: b\n\n'));
    body.push(Buffer.from('event: c\n\n'));
    expect(text(await first)).toBe('event: a\n\nevent: b\n\nevent: c\n\n');
    body.push(Buffer.from('tail'));
    body.end();
    expect(text(await it.next())).toBe('tail');
    expect(text(await it.next())).toBe('done');
  });

  it('gives a waiting reader its queued reads before the end that came with them', async () => {
    const body = new UpstreamBody();
    const it = body[Symbol.asyncIterator]();
    const first = it.next();
    body.push(Buffer.from('last'));
    body.end();
    expect(text(await first)).toBe('last');
    expect(text(await it.next())).toBe('done');
  });

  it('pauses the producer once 64 KB wait unread, and resumes it when they are read', async () => {
    const flow = recordingFlow();
    const body = new UpstreamBody(flow);
    for (let i = 0; i < 15; i++) body.push(Buffer.alloc(4096));
    expect(flow.calls).toEqual([]);
    body.push(Buffer.alloc(4096));
    body.push(Buffer.alloc(4096));
    expect(flow.calls).toEqual(['pause']);
    const read = await body[Symbol.asyncIterator]().next();
    expect(read.done ? 0 : read.value.length).toBe(17 * 4096);
    expect(flow.calls).toEqual(['pause', 'resume']);
  });

  it('bytes(): resumes a paused producer and collects every push until the end', async () => {
    const flow = recordingFlow();
    const body = new UpstreamBody(flow);
    body.push(Buffer.alloc(64 * 1024, 'a'));
    expect(flow.calls).toEqual(['pause']);
    const whole = body.bytes();
    expect(flow.calls).toEqual(['pause', 'resume']);
    body.push(Buffer.from('b'));
    body.end();
    const bytes = await whole;
    expect(bytes.length).toBe(64 * 1024 + 1);
    expect(bytes.subarray(-2).toString()).toBe('ab');
  });

  it('text() and json() decode the whole body, UTF-8 split between reads included', async () => {
    const euro = Buffer.from('{"s":"€"}');
    expect(await UpstreamBody.of([euro.subarray(0, 7), euro.subarray(7)]).json()).toEqual({ s: '€' });
    expect(await UpstreamBody.of(['Grü', 'ße']).text()).toBe('Grüße');
  });

  it('a failed call rejects the read waiting for it, and a whole read', async () => {
    const waiting = new UpstreamBody();
    const pending = waiting[Symbol.asyncIterator]().next();
    waiting.fail(new Error('socket hang up'));
    await expect(pending).rejects.toThrow('socket hang up');

    const whole = new UpstreamBody();
    const bytes = whole.bytes();
    whole.push(Buffer.from('part'));
    whole.fail(new Error('body timeout'));
    await expect(bytes).rejects.toThrow('body timeout');
    expect(whole.ended).toBe(true);
  });

  it('discard(): drops what is queued and what still comes, ends the waiting read, resumes the producer, never aborts', async () => {
    const flow = recordingFlow();
    const body = new UpstreamBody(flow);
    const it = body[Symbol.asyncIterator]();
    body.push(Buffer.alloc(70 * 1024));
    expect(text(await it.next())).not.toBe('done');
    const waiting = it.next();
    body.discard();
    expect(text(await waiting)).toBe('done');
    body.push(Buffer.from('more'));
    expect(text(await it.next())).toBe('done');
    body.end();
    expect(body.ended).toBe(true);
    expect(flow.calls.filter((c) => c.startsWith('abort'))).toEqual([]);

    const paused = recordingFlow();
    const full = new UpstreamBody(paused);
    full.push(Buffer.alloc(64 * 1024));
    full.discard();
    expect(paused.calls).toEqual(['pause', 'resume']);
  });

  it('cancel(): aborts the call and fails the reader with the reason', async () => {
    const flow = recordingFlow();
    const body = new UpstreamBody(flow);
    const it = body[Symbol.asyncIterator]();
    const waiting = it.next();
    body.cancel(new Error('client gone'));
    await expect(waiting).rejects.toThrow('client gone');
    expect(flow.calls).toEqual(['abort: client gone']);
    body.cancel(new Error('again'));
    expect(flow.calls).toEqual(['abort: client gone']);
  });

  it('leaving an iteration early leaves the rest for the caller to discard or cancel', async () => {
    const flow = recordingFlow();
    const body = new UpstreamBody(flow);
    body.push(Buffer.from('a'));
    for await (const read of body) {
      expect(read.toString()).toBe('a');
      break;
    }
    body.push(Buffer.from('b'));
    await tick();
    expect(flow.calls).toEqual([]);
    expect(body.ended).toBe(false);
  });

  it('is read once: a second reader would miss the first one’s bytes', () => {
    const body = UpstreamBody.of(['a']);
    body[Symbol.asyncIterator]();
    expect(() => body.bytes()).toThrow(TypeError);
    expect(() => body[Symbol.asyncIterator]()).toThrow(TypeError);
  });
});
