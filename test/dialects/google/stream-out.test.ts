import { describe, expect, it } from 'vitest';
import { collect } from '../../../src/dialects/collect.js';
import type { SseEvent } from '../../../src/dialects/dialect.js';
import { googleDialect as google } from '../../../src/dialects/google/index.js';
import type { IrEvent, WriteContext } from '../../../src/dialects/ir.js';
import { GatewayError } from '../../../src/errors.js';
import { parseStream, writeStream } from '../../support/dialect-streams.js';

async function* from<T>(xs: T[]): AsyncGenerator<T> {
  yield* xs;
}

function ctx(): WriteContext {
  let n = 0;
  return { id: 'resp-test', model: 'gemini-client', created: 1700000000, includeUsage: false, newId: (p) => `${p}${++n}`, tools: [] };
}

async function write(events: IrEvent[]): Promise<SseEvent[]> {
  const out: SseEvent[] = [];
  for await (const ev of writeStream(google, from(events), ctx())) out.push(ev);
  return out;
}

const data = (evs: SseEvent[]): unknown[] => evs.map((e) => JSON.parse(e.data));
const tail = { modelVersion: 'gemini-client', responseId: 'resp-test' };
const chunk = (parts: object[], extra: object = {}, top: object = {}) => ({
  candidates: [{ content: { role: 'model', parts }, ...extra, index: 0 }],
  ...top,
  ...tail,
});

describe('google writeStream', () => {
  it('writes one data-only chunk per delta and a last chunk with finishReason and usage', async () => {
    const out = await write([
      { kind: 'start', id: 'up', model: 'claude' },
      { kind: 'thinking_delta', text: 'hmm' },
      { kind: 'thinking_signature', signature: 'sig' },
      { kind: 'text_delta', text: 'Hi' },
      { kind: 'text_delta', text: '' },
      { kind: 'finish', reason: 'stop_sequence' },
      { kind: 'usage', usage: { inputTokens: 10, outputTokens: 7, reasoningTokens: 3, cachedInputTokens: 4 } },
    ]);
    expect(out.every((e) => e.event === undefined)).toBe(true);
    expect(data(out)).toEqual([
      chunk([{ text: 'hmm', thought: true }]),
      chunk([{ thought: true, text: '', thoughtSignature: 'sig' }]),
      chunk([{ text: 'Hi' }]),
      chunk(
        [{ text: '' }],
        { finishReason: 'STOP' },
        { usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 4, thoughtsTokenCount: 3, cachedContentTokenCount: 4, totalTokenCount: 17 } },
      ),
    ]);
  });

  it('buffers a tool call until its end and sends args as an object with id and signature', async () => {
    const out = await write([
      { kind: 'tool_call_start', id: 'toolu_a', name: 'read', signature: 'S' },
      { kind: 'tool_call_delta', id: 'toolu_a', argumentsDelta: '{"path":' },
      { kind: 'tool_call_delta', id: 'toolu_a', argumentsDelta: '"a.ts"}' },
      { kind: 'tool_call_end', id: 'toolu_a' },
      { kind: 'tool_call_start', id: 'toolu_b', name: 'ls' },
      { kind: 'tool_call_end', id: 'toolu_b' },
      { kind: 'finish', reason: 'tool_calls' },
    ]);
    expect(data(out)).toEqual([
      chunk([{ functionCall: { name: 'read', args: { path: 'a.ts' }, id: 'toolu_a' }, thoughtSignature: 'S' }]),
      chunk([{ functionCall: { name: 'ls', args: {}, id: 'toolu_b' } }]),
      chunk([{ text: '' }], { finishReason: 'STOP' }, { usageMetadata: { promptTokenCount: 0, candidatesTokenCount: 0, totalTokenCount: 0 } }),
    ]);
  });

  it.each([
    ['length', 'MAX_TOKENS'],
    ['content_filter', 'SAFETY'],
    ['refusal', 'SAFETY'],
    ['pause', 'STOP'],
  ] as const)('maps finish %s to %s', async (reason, expected) => {
    const out = data(await write([{ kind: 'finish', reason }]));
    expect(out).toMatchObject([{ candidates: [{ finishReason: expected }] }]);
  });

  it('sends the error object in-band on an error and stops', async () => {
    const out = await write([
      { kind: 'text_delta', text: 'a' },
      { kind: 'error', error: { code: 'overloaded', status: 529, message: 'busy' } },
      { kind: 'text_delta', text: 'never' },
    ]);
    expect(data(out)).toEqual([chunk([{ text: 'a' }]), { error: { code: 529, message: 'busy', status: 'UNAVAILABLE' } }]);
  });

  it('reports an upstream_error when the stream ends before it finished', async () => {
    const out = await write([{ kind: 'text_delta', text: 'a' }]);
    expect(data(out).at(-1)).toEqual({ error: { code: 502, message: 'upstream stream ended before it finished', status: 'INTERNAL' } });
  });

  it('round-trips through its own parser to the same answer', async () => {
    const events: IrEvent[] = [
      { kind: 'start' },
      { kind: 'thinking_delta', text: 'let me ' },
      { kind: 'thinking_delta', text: 'see' },
      { kind: 'thinking_signature', signature: 'sig' },
      { kind: 'text_delta', text: 'Hello ' },
      { kind: 'text_delta', text: 'there' },
      { kind: 'tool_call_start', id: 'call_1', name: 'f', signature: 'fs' },
      { kind: 'tool_call_delta', id: 'call_1', argumentsDelta: '{"a":[1,2]}' },
      { kind: 'tool_call_end', id: 'call_1' },
      { kind: 'usage', usage: { inputTokens: 5, outputTokens: 9, reasoningTokens: 2 } },
      { kind: 'finish', reason: 'tool_calls' },
    ];
    const written = await write(events);
    const parsed: IrEvent[] = [];
    for await (const ev of parseStream(google, from(written))) parsed.push(ev);
    const { id: _id, model: _model, ...back } = collect(parsed);
    const { id: _id2, model: _model2, ...orig } = collect(events);
    expect(back).toEqual(orig);
  });
});

describe('google writeResponse', () => {
  it('writes one candidate with thought, text and function call parts', () => {
    const json = google.writeResponse(
      {
        id: 'up',
        content: [
          { kind: 'thinking', text: 'hmm', signature: 'sig' },
          { kind: 'thinking', text: '', redacted: 'xxx' },
          { kind: 'text', text: 'Hi' },
          { kind: 'tool_call', id: 'c1', name: 'f', arguments: '{"x":1}', signature: 'fs' },
        ],
        finishReason: 'tool_calls',
        usage: { inputTokens: 3, outputTokens: 5 },
      },
      ctx(),
    );
    expect(json).toEqual(
      chunk(
        [
          { text: 'hmm', thought: true, thoughtSignature: 'sig' },
          { text: 'Hi' },
          { functionCall: { name: 'f', args: { x: 1 }, id: 'c1' }, thoughtSignature: 'fs' },
        ],
        { finishReason: 'STOP' },
        { usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 5, totalTokenCount: 8 } },
      ),
    );
  });

  it('writes an empty text part for an empty answer and parses back to the same content', () => {
    const json = google.writeResponse({ content: [], finishReason: 'length', usage: {} }, ctx());
    expect(json).toMatchObject({ candidates: [{ content: { role: 'model', parts: [{ text: '' }] }, finishReason: 'MAX_TOKENS' }] });
    const back = collect(google.parseResponse(json));
    expect(back.content).toEqual([]);
    expect(back.finishReason).toBe('length');
  });
});

describe('google errors', () => {
  it.each([
    ['invalid_request', 400, 'INVALID_ARGUMENT'],
    ['authentication', 401, 'UNAUTHENTICATED'],
    ['permission', 403, 'PERMISSION_DENIED'],
    ['not_found', 404, 'NOT_FOUND'],
    ['rate_limited', 429, 'RESOURCE_EXHAUSTED'],
    ['quota_exhausted', 402, 'RESOURCE_EXHAUSTED'],
    ['overloaded', 529, 'UNAVAILABLE'],
    ['upstream_unavailable', 503, 'UNAVAILABLE'],
    ['upstream_timeout', 504, 'DEADLINE_EXCEEDED'],
    ['upstream_error', 502, 'INTERNAL'],
    ['internal', 500, 'INTERNAL'],
  ] as const)('renders %s as HTTP %i with status %s', (code, status, name) => {
    const err = new GatewayError(code, 'msg');
    expect(google.errorBody(err)).toEqual({ status, body: { error: { code: status, message: 'msg', status: name } } });
  });

  it('writes a stream error as one data event', () => {
    expect(google.streamError({ code: 'rate_limited', status: 429, message: 'slow' })).toEqual([
      { data: '{"error":{"code":429,"message":"slow","status":"RESOURCE_EXHAUSTED"}}' },
    ]);
  });
});
