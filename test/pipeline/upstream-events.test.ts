import { describe, expect, it } from 'vitest';
import { anthropicDialect } from '../../src/dialects/anthropic/index.js';
import type { IrEvent, IrUsage } from '../../src/dialects/ir.js';
import { openAiChatDialect } from '../../src/dialects/openai-chat/index.js';
import { convertStream } from '../../src/pipeline/client-stream.js';
import { UpstreamReader, upstreamEvents } from '../../src/pipeline/upstream-events.js';
import { toArray, writeContext } from '../dialects/anthropic/helpers.js';
import { UpstreamBody } from '../../src/upstream/upstream-body.js';

const frame = (data: { type: string } & Record<string, unknown>) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;

const START = frame({ type: 'message_start', message: { id: 'msg_1', model: 'claude', usage: { input_tokens: 7, output_tokens: 1 } } });
const TEXT_OPEN = frame({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
const delta = (text: string) => frame({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } });
const END =
  frame({ type: 'content_block_stop', index: 0 }) +
  frame({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 5 } }) +
  frame({ type: 'message_stop' });

/** An upstream body delivering exactly these reads. */
const body = (reads: string[]) => UpstreamBody.of(reads);

async function batches(reads: string[]) {
  let usage: IrUsage | undefined;
  const out = await toArray(upstreamEvents(body(reads), anthropicDialect.createStreamParser(), (u) => (usage = u)));
  return { out, usage };
}

const kinds = (events: IrEvent[]) => events.map((e) => e.kind);

describe('upstreamEvents', () => {
  it('yields one batch per upstream read that completes events, and none for a read that completes none', async () => {
    const whole = START + TEXT_OPEN + delta('Hi') + delta(' there') + END;
    const cut = whole.indexOf('there');
    const { out, usage } = await batches([START + TEXT_OPEN, delta('Hi') + whole.slice(whole.indexOf(delta(' there')), cut), whole.slice(cut)]);
    expect(out.map(kinds)).toEqual([['start', 'usage'], ['text_delta'], ['text_delta', 'usage', 'finish']]);
    expect(usage).toEqual({ inputTokens: 7, outputTokens: 5 });
  });

  it('keeps the events before a malformed one in the same read, then ends with the error', async () => {
    const bad = 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,\n\n';
    const { out } = await batches([START + TEXT_OPEN + delta('kept') + bad + delta('lost')]);
    expect(out).toHaveLength(1);
    expect(kinds(out[0]!)).toEqual(['start', 'usage', 'text_delta', 'error']);
    expect(out[0]!.at(-1)).toMatchObject({ kind: 'error', error: { code: 'upstream_error', status: 502 } });
  });

  it('reports a stream that stops without finishing as truncated, in the last batch', async () => {
    const { out } = await batches([START + TEXT_OPEN + delta('half')]);
    expect(out.flat().at(-1)).toEqual({
      kind: 'error',
      error: { code: 'upstream_error', message: 'upstream stream ended before it finished', status: 502 },
    });
  });

  it('reads a last event that has no blank line after it', async () => {
    const { out } = await batches([START + TEXT_OPEN + delta('a') + END.slice(0, -1)]);
    expect(kinds(out.flat()).at(-1)).toBe('finish');
  });
});

/** A converted Anthropic → Chat stream over these reads, and the usage it reported. */
async function converted(reads: string[]) {
  const reported: IrUsage[] = [];
  const reader = new UpstreamReader(anthropicDialect.createStreamParser());
  const result = await convertStream(body(reads), reader, openAiChatDialect.createStreamWriter(writeContext()), (u) => reported.push(u));
  return { result, reported };
}

describe('convertStream', () => {
  it('turns each upstream read into one chunk of client SSE text', async () => {
    const reads = [START, TEXT_OPEN + delta('Hel'), delta('lo') + END];
    const { result, reported } = await converted(reads);
    if ('error' in result) throw new Error('unexpected error');
    const chunks: string[] = await toArray(result.chunks);
    expect(reported).toEqual([{ inputTokens: 7, outputTokens: 5 }]);
    // One write for the reads held until the answer began (the role chunk, then 'Hel'),
    // then one per read: 'lo' + the finish, with the writer's end ([DONE]) in the same write.
    expect(chunks).toHaveLength(2);
    const datas = chunks.map((c) => c.split('\n\n').filter(Boolean).map((e) => e.replace(/^data: /, '')));
    const choice = (d: string) => (JSON.parse(d) as { choices: Array<{ delta: unknown; finish_reason: unknown }> }).choices[0];
    expect(datas[1]!.at(-1)).toBe('[DONE]');
    expect([datas[0]!, datas[1]!.slice(0, -1)].map((read) => read.map(choice))).toMatchObject([
      [{ delta: { role: 'assistant', content: '', refusal: null } }, { delta: { content: 'Hel' } }],
      [{ delta: { content: 'lo' } }, { delta: {}, finish_reason: 'stop' }],
    ]);
  });

  it('returns an error that comes before the answer instead of a stream (so the attempt can fail over)', async () => {
    const error = frame({ type: 'error', error: { type: 'overloaded_error', message: 'busy' } });
    const { result, reported } = await converted([START, error]);
    expect(result).toMatchObject({ error: { message: 'busy' } });
    expect(reported).toEqual([]);
  });

  it('fails over on an error in the read that began the answer: nothing has been sent yet', async () => {
    const error = frame({ type: 'error', error: { type: 'overloaded_error', message: 'busy' } });
    const { result } = await converted([START + TEXT_OPEN + delta('a') + error]);
    expect(result).toMatchObject({ error: { message: 'busy' } });
  });

  it('after the answer began, an upstream error is written in the client dialect and ends the stream', async () => {
    const error = frame({ type: 'error', error: { type: 'overloaded_error', message: 'busy' } });
    const { result } = await converted([START + TEXT_OPEN + delta('a'), error + delta('b')]);
    if ('error' in result) throw new Error('error before the answer');
    const text = (await toArray(result.chunks)).join('');
    expect(text).toContain('"message":"busy"');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(text).not.toContain('"content":"b"');
  });
  it('reports the usage once and discards the rest of the body when the client stops reading early', async () => {
    const calls: string[] = [];
    const upstream = new UpstreamBody({ pause: () => calls.push('pause'), resume: () => calls.push('resume'), abort: () => calls.push('abort') });
    upstream.push(Buffer.from(START + TEXT_OPEN + delta('a')));
    const reported: IrUsage[] = [];
    const reader = new UpstreamReader(anthropicDialect.createStreamParser());
    const result = await convertStream(upstream, reader, openAiChatDialect.createStreamWriter(writeContext()), (u) => reported.push(u));
    if ('error' in result) throw new Error('unexpected error');
    await result.chunks.next();
    await result.chunks.return?.();
    await result.chunks.return?.();
    expect(reported).toEqual([{ inputTokens: 7, outputTokens: 1 }]);
    // The rest still arrives and is dropped: the call is not aborted, its connection stays usable.
    upstream.push(Buffer.from(delta('b')));
    upstream.end();
    expect(calls).toEqual([]);
    expect(upstream.ended).toBe(true);
    expect(await result.chunks.next()).toEqual({ done: true, value: undefined });
  });

  it('writes nothing for a read that completes no event', async () => {
    const whole = START + TEXT_OPEN + delta('a') + END;
    const cut = whole.indexOf('content_block_stop');
    const { result } = await converted([whole.slice(0, cut), whole.slice(cut, cut + 5), whole.slice(cut + 5)]);
    if ('error' in result) throw new Error('unexpected error');
    const chunks: string[] = await toArray(result.chunks);
    expect(chunks).toHaveLength(2);
    expect(chunks.join('')).toContain('"content":"a"');
  });
});
