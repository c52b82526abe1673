import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeFactory, type FakeFactory } from './index.js';

/** The official SDKs read the fake's streams: proof that its wire format is the real one. */

let fake: FakeFactory;
let anthropic: Anthropic;
let openai: OpenAI;
const args = { path: 'a/b.ts', flags: ['x', 'y'], note: '你好 👋🏽' };

beforeAll(async () => {
  fake = await startFakeFactory({ chunking: 'every-byte', pings: true });
  anthropic = new Anthropic({ baseURL: `${fake.url}/api/llm/a`, authToken: 'sdk-key', apiKey: null, maxRetries: 0 });
  openai = new OpenAI({ baseURL: `${fake.url}/api/llm/o/v1`, apiKey: 'sdk-key', maxRetries: 0 });
});
afterAll(async () => fake.close());
beforeEach(() => {
  fake.reset();
  fake.setScenario({ text: 'Bonjour 你好', toolCalls: [{ name: 'read', arguments: args }], usage: { input: 40, output: 12, cached: 10, reasoning: 3 } });
});

describe('official SDKs against the fake', () => {
  it('@anthropic-ai/sdk folds the stream into the final message', async () => {
    const stream = anthropic.messages.stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'hi' }],
    });
    const message = await stream.finalMessage();
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(message.content[1]).toMatchObject({ type: 'text', text: 'Bonjour 你好' });
    expect(message.content[2]).toMatchObject({ type: 'tool_use', name: 'read', input: args });
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 30, cache_read_input_tokens: 10, output_tokens: 12 });
    expect(fake.requests[0]?.key).toBe('sdk-key');
  });

  it('@anthropic-ai/sdk surfaces a 402 as an APIError with the billing type', async () => {
    fake.setKeyBehaviour('sdk-key', { status: 402 });
    const err: unknown = await anthropic.messages.create({ model: 'm', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.APIError);
    expect(err).toMatchObject({ status: 402, error: { type: 'error', error: { type: 'billing_error' } } });
  });

  it('openai chat stream helper assembles content, reasoning-free tool calls and usage', async () => {
    const stream = openai.chat.completions.stream({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      stream_options: { include_usage: true },
    });
    const completion = await stream.finalChatCompletion();
    const choice = completion.choices[0];
    expect(choice?.message.content).toBe('Bonjour 你好');
    expect(choice?.finish_reason).toBe('tool_calls');
    const call = choice?.message.tool_calls?.[0];
    expect(call?.type === 'function' ? JSON.parse(call.function.arguments) : undefined).toEqual(args);
    expect(completion.usage).toMatchObject({ prompt_tokens: 40, completion_tokens: 12, prompt_tokens_details: { cached_tokens: 10 } });
  });

  it('openai responses stream helper ends with the completed response', async () => {
    const stream = openai.responses.stream({ model: 'gpt-5', input: 'hi', reasoning: { effort: 'low', summary: 'auto' } });
    const response = await stream.finalResponse();
    expect(response.output.map((o) => o.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(response.output_text).toBe('Bonjour 你好');
    const call = response.output[2];
    expect(call?.type === 'function_call' ? JSON.parse(call.arguments) : undefined).toEqual(args);
    expect(response.usage).toMatchObject({ input_tokens: 40, output_tokens: 12, output_tokens_details: { reasoning_tokens: 3 } });
  });

  it('openai SDK raises a mid-stream chat error as an APIError', async () => {
    fake.setScenario({ midStream: 'error-event', errorMessage: 'upstream fell over' });
    const stream = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const read = async (): Promise<void> => {
      for await (const chunk of stream) void chunk;
    };
    await expect(read()).rejects.toThrow(/upstream fell over/);
  });
});
