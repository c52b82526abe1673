import { describe, expect, it } from 'vitest';
import { anthropicDialect } from '../../src/dialects/anthropic/index.js';
import type { SseEvent, StreamParser } from '../../src/dialects/dialect.js';
import type { IrUsage } from '../../src/dialects/ir.js';
import { openAiResponsesDialect } from '../../src/dialects/openai-responses/index.js';
import { watchPassthrough } from '../../src/pipeline/passthrough-watch.js';
import { UpstreamBody } from '../../src/upstream/upstream-body.js';

const frame = (data: { type: string } & Record<string, unknown>, eol = '\n') =>
  `event: ${data.type}${eol}data: ${JSON.stringify(data)}${eol}${eol}`;

const START = frame({ type: 'message_start', message: { id: 'msg_1', model: 'claude', usage: { input_tokens: 7, output_tokens: 1 } } });
const TEXT_OPEN = frame({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } });
const delta = (text: string, eol = '\n') => frame({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }, eol);
const END =
  frame({ type: 'content_block_stop', index: 0 }) +
  frame({ type: 'message_delta', delta: { stop_reason: 'end_turn' }, usage: { output_tokens: 5 } }) +
  frame({ type: 'message_stop' });

/** Records the events the dialect's parser is given: the watcher must not parse what it can skip. */
function counting(parser: StreamParser): { parser: StreamParser; seen: string[] } {
  const seen: string[] = [];
  return {
    seen,
    parser: {
      push: (ev: SseEvent) => {
        seen.push(ev.event ?? JSON.parse(ev.data).type);
        return parser.push(ev);
      },
      end: () => parser.end(),
      get done() {
        return parser.done;
      },
    },
  };
}

async function watch(reads: Array<string | Buffer>, parser: StreamParser = anthropicDialect.createStreamParser()) {
  let usage: IrUsage | undefined;
  const body = UpstreamBody.of(reads);
  const result = await watchPassthrough(body, parser, (u) => (usage = u));
  if (result.kind === 'error') return { result, bytes: Buffer.alloc(0), usage };
  const parts: Buffer[] = [];
  for await (const chunk of result.chunks) parts.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
  return { result, bytes: Buffer.concat(parts), usage };
}

/** The same bytes cut into pieces of 1, 2, … n bytes, over and over: lines, events and characters split anywhere. */
function pieces(text: string, n: number): Buffer[] {
  const all = Buffer.from(text);
  const out: Buffer[] = [];
  for (let at = 0, size = 1; at < all.length; at += size, size = (size % n) + 1) out.push(all.subarray(at, at + size));
  return out;
}

describe('watchPassthrough', () => {
  it('forwards every byte unchanged and reads the usage, however the upstream cuts its reads', async () => {
    const whole = START + TEXT_OPEN + delta('Grüße ') + delta('👋 aus') + delta(' Köln') + END;
    for (const reads of [[whole], [START + TEXT_OPEN, delta('Grüße '), delta('👋 aus'), delta(' Köln'), END], pieces(whole, 23), pieces(whole, 3)]) {
      const { bytes, usage } = await watch(reads);
      expect(bytes.toString()).toBe(whole);
      expect(usage).toEqual({ inputTokens: 7, outputTokens: 5 });
    }
  });

  it('does not parse whole text events once the answer runs, and still reads the usage after them', async () => {
    const { parser, seen } = counting(anthropicDialect.createStreamParser());
    const reads = [START, TEXT_OPEN, delta('one'), delta('two'), delta('three'), END];
    const { bytes, usage } = await watch(reads, parser);
    expect(bytes.toString()).toBe(reads.join(''));
    expect(usage).toEqual({ inputTokens: 7, outputTokens: 5 });
    // The first delta begins the answer; after it only the event with the usage is parsed.
    expect(seen).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'message_delta']);
  });

  it('decodes again from a read that ends inside an event, even after skipped reads', async () => {
    const last = delta('tail ü');
    const cut = Buffer.from(last).indexOf(Buffer.from('ü')) + 1; // inside the two bytes of ü
    const tail = Buffer.from(last + END);
    const { parser, seen } = counting(anthropicDialect.createStreamParser());
    const { bytes, usage } = await watch([START + TEXT_OPEN + delta('a'), delta('b'), tail.subarray(0, cut), tail.subarray(cut)], parser);
    expect(bytes.toString()).toBe(START + TEXT_OPEN + delta('a') + delta('b') + last + END);
    expect(usage).toEqual({ inputTokens: 7, outputTokens: 5 });
    expect(seen.filter((e) => e === 'message_delta')).toHaveLength(1);
  });

  it('works the same on CRLF streams', async () => {
    const crlf = (s: string) => s.replace(/\n/g, '\r\n');
    const reads = [crlf(START + TEXT_OPEN), delta('x', '\r\n'), delta('y', '\r\n'), crlf(END)];
    const { bytes, usage } = await watch(reads);
    expect(bytes.toString()).toBe(reads.join(''));
    expect(usage).toEqual({ inputTokens: 7, outputTokens: 5 });
  });

  it('still parses a text event that happens to mention usage (and keeps the counts right)', async () => {
    const { parser, seen } = counting(anthropicDialect.createStreamParser());
    const { usage } = await watch([START + TEXT_OPEN + delta('go'), delta('the usage of "error" words'), END], parser);
    expect(seen.filter((e) => e === 'content_block_delta')).toHaveLength(2);
    expect(usage).toEqual({ inputTokens: 7, outputTokens: 5 });
  });

  it('returns an error that arrives before the answer, so the pipeline can fail over', async () => {
    const error = frame({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } });
    const { result } = await watch([START, error]);
    expect(result).toMatchObject({ kind: 'error', error: { status: 529 } });
  });

  it('reads the usage of a Responses stream from its response.completed event', async () => {
    const response = (status: string, extra: Record<string, unknown> = {}) => ({ id: 'resp_1', object: 'response', status, model: 'gpt-5', output: [], ...extra });
    const item = { id: 'msg_1', type: 'message', role: 'assistant', status: 'in_progress', content: [] };
    const reads = [
      frame({ type: 'response.created', sequence_number: 0, response: response('in_progress') }),
      frame({ type: 'response.output_item.added', sequence_number: 1, output_index: 0, item }),
      frame({ type: 'response.output_text.delta', sequence_number: 2, item_id: 'msg_1', output_index: 0, content_index: 0, delta: 'Hi' }),
      frame({ type: 'response.output_text.delta', sequence_number: 3, item_id: 'msg_1', output_index: 0, content_index: 0, delta: ' there' }),
      frame({
        type: 'response.completed',
        sequence_number: 4,
        response: response('completed', { usage: { input_tokens: 11, output_tokens: 3, total_tokens: 14, input_tokens_details: { cached_tokens: 4 } } }),
      }),
    ];
    const { bytes, usage } = await watch(reads, openAiResponsesDialect.createStreamParser());
    expect(bytes.toString()).toBe(reads.join(''));
    expect(usage).toMatchObject({ inputTokens: 11, cachedInputTokens: 4, outputTokens: 3 });
  });
});
