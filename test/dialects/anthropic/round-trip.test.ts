import { describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import { anthropicDialect } from '../../../src/dialects/anthropic/index.js';
import { collect } from '../../../src/dialects/collect.js';
import type { SseEvent } from '../../../src/dialects/dialect.js';
import type { IrEvent } from '../../../src/dialects/ir.js';
import { formatSse } from '../../../src/upstream/sse/format.js';
import { from, toArray, writeContext } from './helpers.js';
import { parseStream, writeStream } from '../../support/dialect-streams.js';

const answer: IrEvent[] = [
  { kind: 'start', id: 'msg_up', model: 'claude' },
  { kind: 'usage', usage: { inputTokens: 1210, cachedInputTokens: 1000, cacheCreationInputTokens: 200, outputTokens: 1 } },
  { kind: 'thinking_delta', text: 'Think ' },
  { kind: 'thinking_delta', text: 'hard.' },
  { kind: 'thinking_signature', signature: 'sig-abc' },
  { kind: 'redacted_thinking', data: 'opaque' },
  { kind: 'text_delta', text: 'Let me ' },
  { kind: 'text_delta', text: 'check.' },
  { kind: 'tool_call_start', id: 'toolu_1', name: 'get_weather' },
  { kind: 'tool_call_delta', id: 'toolu_1', argumentsDelta: '{"location":' },
  { kind: 'tool_call_delta', id: 'toolu_1', argumentsDelta: '"Paris"}' },
  { kind: 'tool_call_end', id: 'toolu_1' },
  { kind: 'finish', reason: 'tool_calls' },
  { kind: 'usage', usage: { outputTokens: 42 } },
];

/** The official SDK's streaming path, its fetch answered locally with the written events. */
function sdkStream(written: SseEvent[]) {
  const sseText = written.map(formatSse).join('');
  const client = new Anthropic({
    apiKey: 'test',
    maxRetries: 0,
    fetch: async () => new Response(sseText, { headers: { 'content-type': 'text/event-stream' } }),
  });
  return client.messages.stream({ model: 'claude', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] });
}

describe('anthropic round trip', () => {
  it('reads back what it wrote: writeStream then parseStream gives the same answer', async () => {
    const written = await toArray(writeStream(anthropicDialect, from(answer), writeContext()));
    const reread = await toArray(parseStream(anthropicDialect, from(written)));
    const before = collect(answer);
    const after = collect(reread);
    expect(after.content).toEqual(before.content);
    expect(after.finishReason).toBe(before.finishReason);
    expect(after.usage).toEqual(before.usage);
    expect(after.id).toBe('msg_gateway_1');
  });

  it('reads back a written Message: writeResponse then parseResponse gives the same answer', () => {
    const res = collect(answer);
    const reread = collect(anthropicDialect.parseResponse(anthropicDialect.writeResponse(res, writeContext())));
    expect(reread.content).toEqual(res.content);
    expect(reread.finishReason).toBe(res.finishReason);
    expect(reread.usage).toEqual(res.usage);
  });

  it('accumulates in the official SDK into the Message writeResponse gives', async () => {
    const written = await toArray(writeStream(anthropicDialect, from(answer), writeContext()));
    const final = await sdkStream(written).finalMessage();
    expect(final).toMatchObject(anthropicDialect.writeResponse(collect(answer), writeContext()));
  });

  it('makes the official SDK throw the in-band error it was sent', async () => {
    const failing: IrEvent[] = [
      { kind: 'start' },
      { kind: 'text_delta', text: 'par' },
      { kind: 'error', error: { code: 'overloaded', message: 'Overloaded', status: 529 } },
    ];
    const written = await toArray(writeStream(anthropicDialect, from(failing), writeContext()));
    await expect(sdkStream(written).finalMessage()).rejects.toMatchObject({ error: { type: 'error', error: { type: 'overloaded_error' } } });
  });
});
