import { describe, expect, it } from 'vitest';
import type { IrEvent } from '../../src/dialects/ir.js';
import { answerChunks, holdUntilAnswer, type HeldRead } from '../../src/pipeline/hold-until-answer.js';
import { UpstreamBody } from '../../src/upstream/upstream-body.js';

const start: IrEvent = { kind: 'start', id: 'r1', model: 'm' };
const text: IrEvent = { kind: 'text_delta', text: 'hi' };
const error: IrEvent = { kind: 'error', error: { code: 'overloaded', message: 'Overloaded', status: 529 } };

/** A read source over fixed reads; `undefined` at the end, as holdUntilAnswer expects. */
function reads(list: Array<HeldRead<string>>): { read: () => Promise<HeldRead<string> | undefined>; taken: () => number } {
  let i = 0;
  return { read: async () => list[i++], taken: () => i };
}

describe('holdUntilAnswer', () => {
  it('holds reads up to and including the one that began the answer, and reads no further', async () => {
    const src = reads([
      { out: 'a', events: [start] },
      { out: 'b', events: [text] },
      { out: 'c', events: [text] },
    ]);
    expect(await holdUntilAnswer(UpstreamBody.of([]), src.read)).toEqual({ held: ['a', 'b'] });
    expect(src.taken()).toBe(2);
  });

  it('returns an error that came before the answer, even in the read that began it, and discards the body', async () => {
    const body = UpstreamBody.of(['rest of the body']);
    let discarded = 0;
    body.discard = () => void discarded++;
    const src = reads([
      { out: 'a', events: [start] },
      { out: 'b', events: [text, error] },
    ]);
    expect(await holdUntilAnswer(body, src.read)).toEqual({ error: error.kind === 'error' && error.error });
    expect(discarded).toBe(1);
  });

  it('stops at a read marked last, and at the end of the body, with what it held', async () => {
    expect(await holdUntilAnswer(UpstreamBody.of([]), reads([{ out: 'a', events: [start], last: true }, { out: 'b', events: [text] }]).read)).toEqual({ held: ['a'] });
    expect(await holdUntilAnswer(UpstreamBody.of([]), reads([{ out: 'a', events: [start] }]).read)).toEqual({ held: ['a'] });
  });
});

describe('answerChunks', () => {
  it('skips empty pieces, ends after the last one, and runs done once', async () => {
    const steps = [
      { value: 'a', last: false },
      { value: '', last: false },
      { value: 'b', last: true },
    ];
    let done = 0;
    let i = 0;
    const chunks = answerChunks(async () => steps[i++]!, () => done++);
    const out: string[] = [];
    for await (const c of chunks) out.push(c);
    expect(out).toEqual(['a', 'b']);
    expect(done).toBe(1);
    await chunks.return!();
    expect(done).toBe(1);
  });

  it('runs done when the client stops reading, and when the source fails (the failure still surfaces)', async () => {
    let done = 0;
    const stopped = answerChunks(async () => ({ value: 'x', last: false }), () => done++);
    await stopped.next();
    await stopped.return!();
    expect(done).toBe(1);
    expect(await stopped.next()).toEqual({ done: true, value: undefined });

    const failing = answerChunks<string>(async () => {
      throw new Error('cut');
    }, () => done++);
    await expect(failing.next()).rejects.toThrow('cut');
    expect(done).toBe(2);
  });
});
