import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect } from '../../../src/dialects/collect.js';
import { openAiChatDialect as chat } from '../../../src/dialects/openai-chat/index.js';
import type { IrEvent, WriteContext } from '../../../src/dialects/ir.js';
import { formatSse } from '../../../src/upstream/sse/format.js';
import { decodeSse } from '../../../src/upstream/sse/sse-decoder.js';
import { parseStream, writeStream } from '../../support/dialect-streams.js';

async function* from<T>(xs: T[]): AsyncGenerator<T> {
  yield* xs;
}

async function sseText(events: IrEvent[], includeUsage: boolean): Promise<string> {
  const ctx: WriteContext = { id: 'chatcmpl-sdk', model: 'client-model', created: 1700000000, includeUsage, newId: (p) => `${p}1`, tools: [] };
  let text = '';
  for await (const ev of writeStream(chat, from(events), ctx)) text += formatSse(ev);
  return text;
}

const answer: IrEvent[] = [
  { kind: 'start', id: 'up-1', model: 'glm-4.6' },
  { kind: 'thinking_delta', text: 'The user wants weather.' },
  { kind: 'text_delta', text: 'Let me ' },
  { kind: 'text_delta', text: 'check.' },
  { kind: 'tool_call_start', id: 'call_a', name: 'get_weather' },
  { kind: 'tool_call_delta', id: 'call_a', argumentsDelta: '{"city":' },
  { kind: 'tool_call_delta', id: 'call_a', argumentsDelta: '"Paris"}' },
  { kind: 'tool_call_end', id: 'call_a' },
  { kind: 'tool_call_start', id: 'call_b', name: 'get_time' },
  { kind: 'tool_call_delta', id: 'call_b', argumentsDelta: '{}' },
  { kind: 'tool_call_end', id: 'call_b' },
  { kind: 'finish', reason: 'tool_calls' },
  { kind: 'usage', usage: { inputTokens: 20, outputTokens: 9, cachedInputTokens: 5, reasoningTokens: 4 } },
];

describe('openai-chat writeStream read by the official openai SDK', () => {
  let server: Server;
  let client: OpenAI;
  let body = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'x', maxRetries: 0 });
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('accumulates text, tool calls, finish reason and usage into the final completion', async () => {
    body = await sseText(answer, true);
    const stream = client.chat.completions.stream({
      model: 'client-model',
      messages: [{ role: 'user', content: 'weather?' }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.id).toBe('chatcmpl-sdk');
    expect(final.model).toBe('client-model');
    const choice = final.choices[0];
    expect(choice?.finish_reason).toBe('tool_calls');
    expect(choice?.message.content).toBe('Let me check.');
    expect(choice?.message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
    expect(final.usage).toMatchObject({
      prompt_tokens: 20,
      completion_tokens: 9,
      total_tokens: 29,
      prompt_tokens_details: { cached_tokens: 5 },
      completion_tokens_details: { reasoning_tokens: 4 },
    });
  });

  it('yields the raw chunks, reasoning_content included, with create({stream: true})', async () => {
    body = await sseText(answer, false);
    const stream = await client.chat.completions.create({ model: 'client-model', messages: [{ role: 'user', content: 'x' }], stream: true });
    const reasoning: string[] = [];
    let chunks = 0;
    for await (const c of stream) {
      chunks++;
      const d: unknown = c.choices[0]?.delta;
      if (d && typeof d === 'object' && 'reasoning_content' in d && typeof d.reasoning_content === 'string') reasoning.push(d.reasoning_content);
    }
    expect(reasoning.join('')).toBe('The user wants weather.');
    expect(chunks).toBe(10);
  });

  it('surfaces an in-band error as an APIError', async () => {
    body = await sseText([{ kind: 'text_delta', text: 'a' }, { kind: 'error', error: { code: 'overloaded', message: 'busy', status: 529 } }], false);
    const stream = await client.chat.completions.create({ model: 'client-model', messages: [{ role: 'user', content: 'x' }], stream: true });
    const read = async () => {
      for await (const c of stream) void c;
    };
    await expect(read()).rejects.toBeInstanceOf(OpenAI.APIError);
  });
});

describe('openai-chat round trip', () => {
  it('parses its own stream back into the same answer', async () => {
    const text = await sseText(answer, true);
    const bytes = new TextEncoder().encode(text);
    const events: IrEvent[] = [];
    for await (const ev of parseStream(chat, decodeSse(from([bytes.subarray(0, 97), bytes.subarray(97)])))) events.push(ev);
    const back = collect(events);
    const original = collect(answer);
    expect(back.content).toEqual(original.content);
    expect(back.finishReason).toBe(original.finishReason);
    expect(back.usage).toEqual(original.usage);
    expect(back.id).toBe('chatcmpl-sdk');
  });

  it('parses its own non-stream answer back into the same answer', () => {
    const original = collect(answer);
    const json = chat.writeResponse(original, {
      id: 'chatcmpl-x', model: 'm', created: 1, includeUsage: false, newId: (p) => p, tools: [],
    });
    const back = collect(chat.parseResponse(JSON.parse(JSON.stringify(json))));
    expect(back.content).toEqual(original.content);
    expect(back.finishReason).toBe('tool_calls');
    expect(back.usage).toEqual(original.usage);
  });
});
