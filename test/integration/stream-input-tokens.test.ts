/**
 * LangChain's ChatAnthropic reads input tokens from message_start only: a streamed
 * Anthropic-dialect call to a model of another upstream must carry them there (the
 * upstream's prompt count when it came first, else the gateway's estimate), and the final
 * message_delta the exact figures.
 */
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

const USAGE = { input: 321, output: 17 };
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  h.fake.setScenario({ text: 'Counted from the start.', usage: USAGE });
});
afterAll(async () => h.close());

async function streamed(model: string) {
  const client = new Anthropic({ baseURL: h.url, apiKey: 'client-key', maxRetries: 0 });
  const stream = client.messages.stream({
    model,
    max_tokens: 256,
    system: 'Be brief.',
    messages: [{ role: 'user', content: 'Tell me about the weather in a few words, please.' }],
  });
  let startInput: number | undefined;
  stream.on('streamEvent', (ev) => {
    if (ev.type === 'message_start') startInput = ev.message.usage.input_tokens;
  });
  const final = await stream.finalMessage();
  return { startInput, final };
}

describe('input tokens in message_start of converted Anthropic streams', () => {
  it.each([
    ['a GPT model (Responses upstream)', MODEL_OF_TYPE.openai],
    ['a chat-completions model', MODEL_OF_TYPE.common],
  ])('carries the local estimate for %s, and the exact figures at the end', async (_name, model) => {
    const { startInput, final } = await streamed(model);
    expect(startInput).toBeGreaterThan(0);
    expect(startInput).not.toBe(USAGE.input);
    expect(final.usage).toMatchObject({ input_tokens: USAGE.input, output_tokens: USAGE.output });
  });

  it("carries Gemini's own prompt count, given before the first content", async () => {
    const { startInput, final } = await streamed(MODEL_OF_TYPE.google);
    expect(startInput).toBe(USAGE.input);
    expect(final.usage).toMatchObject({ input_tokens: USAGE.input, output_tokens: USAGE.output });
  });
});
