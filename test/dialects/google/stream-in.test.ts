import { describe, expect, it } from 'vitest';
import { collect } from '../../../src/dialects/collect.js';
import type { SseEvent } from '../../../src/dialects/dialect.js';
import { googleDialect as google } from '../../../src/dialects/google/index.js';
import type { IrEvent } from '../../../src/dialects/ir.js';
import { decodeSse } from '../../../src/upstream/sse/sse-decoder.js';
import { parseStream } from '../../support/dialect-streams.js';

async function* from<T>(xs: T[]): AsyncGenerator<T> {
  yield* xs;
}

async function parse(chunks: unknown[]): Promise<IrEvent[]> {
  const out: IrEvent[] = [];
  const events: SseEvent[] = chunks.map((c) => ({ data: typeof c === 'string' ? c : JSON.stringify(c) }));
  for await (const ev of parseStream(google, from(events))) out.push(ev);
  return out;
}

const meta = { modelVersion: 'gemini-2.5-pro', responseId: 'resp-1' };
const chunk = (parts: object[], extra: object = {}) => ({ candidates: [{ content: { role: 'model', parts }, index: 0, ...extra }], ...meta });

describe('google parseStream', () => {
  it('streams thinking, its signature, text, usage and the finish', async () => {
    const events = await parse([
      { ...chunk([{ text: '**Plan**', thought: true }]), usageMetadata: { promptTokenCount: 10, totalTokenCount: 10 } },
      { ...chunk([{ text: ' more', thought: true, thoughtSignature: 'sig' }]), usageMetadata: { promptTokenCount: 10, totalTokenCount: 10 } },
      chunk([{ text: 'Hello' }]),
      {
        ...chunk([{ text: ' world' }], { finishReason: 'STOP' }),
        usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 4, thoughtsTokenCount: 6, cachedContentTokenCount: 3, totalTokenCount: 20 },
      },
    ]);
    expect(events).toEqual([
      { kind: 'start', id: 'resp-1', model: 'gemini-2.5-pro' },
      // The prompt count comes before the first content, as Gemini sends it on the first chunk.
      { kind: 'usage', usage: { inputTokens: 10 } },
      { kind: 'thinking_delta', text: '**Plan**' },
      { kind: 'thinking_delta', text: ' more' },
      { kind: 'thinking_signature', signature: 'sig' },
      { kind: 'text_delta', text: 'Hello' },
      { kind: 'usage', usage: { inputTokens: 10, outputTokens: 10, reasoningTokens: 6, cachedInputTokens: 3 } },
      { kind: 'text_delta', text: ' world' },
      { kind: 'finish', reason: 'stop' },
    ]);
  });

  it('brackets each function call, keeps its signature and finishes with tool_calls', async () => {
    const events = await parse([
      chunk([{ functionCall: { name: 'read', args: { path: 'a.ts' } }, thoughtSignature: 'S1' }]),
      chunk([{ functionCall: { name: 'ls', id: 'fc_given' } }], { finishReason: 'STOP' }),
    ]);
    expect(events).toEqual([
      { kind: 'start', id: 'resp-1', model: 'gemini-2.5-pro' },
      { kind: 'tool_call_start', id: 'call_resp-1_0', name: 'read', signature: 'S1' },
      { kind: 'tool_call_delta', id: 'call_resp-1_0', argumentsDelta: '{"path":"a.ts"}' },
      { kind: 'tool_call_end', id: 'call_resp-1_0' },
      { kind: 'tool_call_start', id: 'fc_given', name: 'ls' },
      { kind: 'tool_call_delta', id: 'fc_given', argumentsDelta: '{}' },
      { kind: 'tool_call_end', id: 'fc_given' },
      { kind: 'finish', reason: 'tool_calls' },
    ]);
  });

  it.each([
    ['MAX_TOKENS', 'length'],
    ['SAFETY', 'content_filter'],
    ['RECITATION', 'content_filter'],
    ['PROHIBITED_CONTENT', 'content_filter'],
    ['MALFORMED_FUNCTION_CALL', 'stop'],
    ['OTHER', 'stop'],
    ['SOMETHING_NEW', 'stop'],
  ])('maps finishReason %s to %s', async (reason, expected) => {
    const events = await parse([chunk([], { finishReason: reason })]);
    expect(events.at(-1)).toEqual({ kind: 'finish', reason: expected });
  });

  it('finishes with content_filter when the prompt was blocked', async () => {
    const events = await parse([{ promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 5 }, ...meta }]);
    expect(events.slice(1)).toEqual([
      { kind: 'usage', usage: { inputTokens: 5 } },
      { kind: 'finish', reason: 'content_filter' },
    ]);
  });

  it('still counts usage that arrives after the finish and ignores empty text', async () => {
    const events = await parse([
      chunk([{ text: '' }, { text: 'x' }], { finishReason: 'STOP' }),
      { ...chunk([{ text: 'late' }]), usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1 } },
    ]);
    expect(events.slice(1)).toEqual([
      { kind: 'text_delta', text: 'x' },
      { kind: 'finish', reason: 'stop' },
      { kind: 'usage', usage: { inputTokens: 1, outputTokens: 1 } },
    ]);
  });

  it.each([
    ['RESOURCE_EXHAUSTED', 429, 'rate_limited', 429],
    ['UNAVAILABLE', 503, 'overloaded', 503],
    ['INVALID_ARGUMENT', 400, 'invalid_request', 400],
    ['PERMISSION_DENIED', 403, 'permission', 403],
    ['UNAUTHENTICATED', 401, 'authentication', 401],
    ['DEADLINE_EXCEEDED', 504, 'upstream_timeout', 504],
    ['INTERNAL', 500, 'upstream_error', 502],
  ])('turns an in-band %s error into an IR error and stops', async (statusName, httpCode, code, status) => {
    const events = await parse([
      chunk([{ text: 'a' }]),
      { error: { code: httpCode, message: 'nope', status: statusName } },
      chunk([{ text: 'never' }]),
    ]);
    expect(events.slice(1)).toEqual([
      { kind: 'text_delta', text: 'a' },
      { kind: 'error', error: { code, status, message: 'nope' } },
    ]);
  });

  it('skips blank events and throws upstream_error on malformed JSON', async () => {
    await expect(parse(['', '{oops'])).rejects.toMatchObject({ code: 'upstream_error' });
  });

  it('reads a CRLF data-only byte stream through the shared SSE decoder', async () => {
    const text = [chunk([{ text: 'héllo ' }]), chunk([{ text: '世界' }], { finishReason: 'STOP' })]
      .map((c) => `data: ${JSON.stringify(c)}\r\n\r\n`)
      .join('');
    const bytes = new TextEncoder().encode(text);
    const pieces = [bytes.slice(0, 7), bytes.slice(7, 150), bytes.slice(150)];
    const out: IrEvent[] = [];
    for await (const ev of parseStream(google, decodeSse(from(pieces)))) out.push(ev);
    expect(collect(out).content).toEqual([{ kind: 'text', text: 'héllo 世界' }]);
  });
});

describe('google parseResponse', () => {
  it('reads one whole response', () => {
    const events = google.parseResponse({
      candidates: [
        {
          content: { role: 'model', parts: [{ text: 'think', thought: true }, { text: 'Hi' }, { functionCall: { name: 'f', args: { a: 1 } } }] },
          finishReason: 'STOP',
        },
      ],
      usageMetadata: { promptTokenCount: 3, candidatesTokenCount: 2 },
      ...meta,
    });
    const res = collect(events);
    expect(res).toEqual({
      id: 'resp-1',
      model: 'gemini-2.5-pro',
      content: [
        { kind: 'thinking', text: 'think' },
        { kind: 'text', text: 'Hi' },
        { kind: 'tool_call', id: 'call_resp-1_0', name: 'f', arguments: '{"a":1}' },
      ],
      finishReason: 'tool_calls',
      usage: { inputTokens: 3, outputTokens: 2 },
    });
  });

  it('reads the JSON array streamGenerateContent answers without alt=sse', () => {
    const res = collect(google.parseResponse([chunk([{ text: 'a' }]), chunk([{ text: 'b' }], { finishReason: 'MAX_TOKENS' })]));
    expect(res.content).toEqual([{ kind: 'text', text: 'ab' }]);
    expect(res.finishReason).toBe('length');
  });

  it('adds a finish when a whole response carries no finishReason', () => {
    expect(google.parseResponse(chunk([{ text: 'a' }])).at(-1)).toEqual({ kind: 'finish', reason: 'stop' });
  });

  it('turns an error body into an error event', () => {
    expect(google.parseResponse({ error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED' } })).toEqual([
      { kind: 'error', error: { code: 'rate_limited', status: 429, message: 'slow down' } },
    ]);
  });
});
