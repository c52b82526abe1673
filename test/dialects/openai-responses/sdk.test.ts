import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IrEvent, IrTool } from '../../../src/dialects/ir.js';
import { openAiResponsesDialect as dialect } from '../../../src/dialects/openai-responses/index.js';
import { formatSse } from '../../../src/upstream/sse/format.js';
import { all, context, from } from './helpers.js';
import { writeStream } from '../../support/dialect-streams.js';

const answer: IrEvent[] = [
  { kind: 'start' },
  { kind: 'thinking_delta', text: 'Thinking', itemId: 'rs_up' },
  { kind: 'thinking_signature', signature: 'enc' },
  { kind: 'text_delta', text: 'Hello, ' },
  { kind: 'text_delta', text: 'world' },
  { kind: 'tool_call_start', id: 'call_1', name: 'get_weather' },
  { kind: 'tool_call_delta', id: 'call_1', argumentsDelta: '{"city":' },
  { kind: 'tool_call_delta', id: 'call_1', argumentsDelta: '"Paris"}' },
  { kind: 'tool_call_end', id: 'call_1' },
  { kind: 'tool_call_start', id: 'call_2', name: 'apply_patch' },
  { kind: 'tool_call_delta', id: 'call_2', argumentsDelta: '{"input":"*** Begin Patch"}' },
  { kind: 'tool_call_end', id: 'call_2' },
  { kind: 'finish', reason: 'tool_calls' },
  { kind: 'usage', usage: { inputTokens: 12, cachedInputTokens: 2, outputTokens: 8, reasoningTokens: 3 } },
];

const patchTool: IrTool = { name: 'apply_patch', parameters: { type: 'object' }, custom: {} };

/** Serves the writer's bytes for any request, as the gateway route would. */
async function serve(): Promise<Server> {
  const bytes = (await all(writeStream(dialect, from(answer), context([patchTool])))).map(formatSse).join('');
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(bytes);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

describe('openai-responses stream read by the official openai SDK', () => {
  let server: Server;
  let client: OpenAI;

  beforeAll(async () => {
    server = await serve();
    const { port } = server.address() as AddressInfo;
    client = new OpenAI({ apiKey: 'test', baseURL: `http://127.0.0.1:${port}/v1`, maxRetries: 0 });
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('accumulates output_text, the function and custom calls, the reasoning and usage in finalResponse', async () => {
    const stream = client.responses.stream({ model: 'gpt-5.1', input: 'hi' });
    const deltas: string[] = [];
    stream.on('response.output_text.delta', (ev) => deltas.push(ev.delta));
    const final = await stream.finalResponse();
    expect(deltas).toEqual(['Hello, ', 'world']);
    expect(final.id).toBe('resp_test');
    expect(final.status).toBe('completed');
    expect(final.output_text).toBe('Hello, world');
    expect(final.output.find((i) => i.type === 'function_call')).toMatchObject({
      call_id: 'call_1',
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
    });
    expect(final.output.find((i) => i.type === 'custom_tool_call')).toMatchObject({
      call_id: 'call_2',
      name: 'apply_patch',
      input: '*** Begin Patch',
    });
    expect(final.output.find((i) => i.type === 'reasoning')).toMatchObject({
      summary: [{ type: 'summary_text', text: 'Thinking' }],
      encrypted_content: 'enc',
    });
    expect(final.usage).toEqual({
      input_tokens: 12,
      input_tokens_details: { cached_tokens: 2 },
      output_tokens: 8,
      output_tokens_details: { reasoning_tokens: 3 },
      total_tokens: 20,
    });
  });

  it('iterates every event of responses.create with stream:true', async () => {
    const types: string[] = [];
    const stream = await client.responses.create({ model: 'gpt-5.1', input: 'hi', stream: true });
    for await (const ev of stream) types.push(ev.type);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    expect(types).toContain('response.function_call_arguments.done');
  });
});
