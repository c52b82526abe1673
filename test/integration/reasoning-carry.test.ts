import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

/**
 * Claude Code on a GPT model: the reasoning item GPT produced goes to the client as a
 * thinking block whose signature carries the item, and comes back to GPT on the next turn
 * as its own reasoning item. A Claude model never receives it.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());

const tools = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } } }];

describe('reasoning carried through an Anthropic client', () => {
  it('returns GPT its own reasoning item on the next turn of a tool loop', async () => {
    h.fake.setScenario((req) =>
      JSON.stringify(req.body).includes('function_call_output')
        ? { text: 'Sunny.' }
        : { text: '', thinking: 'I should call the tool.', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
    );
    const client = new Anthropic({ baseURL: h.url, apiKey: 'x', maxRetries: 0 });
    const messages: Anthropic.MessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.messages.stream({ model: MODEL_OF_TYPE.openai, max_tokens: 2000, thinking: { type: 'enabled', budget_tokens: 1024 }, tools, messages }).finalMessage();
    const thinking = first.content.find((b) => b.type === 'thinking');
    const call = first.content.find((b) => b.type === 'tool_use');
    expect(thinking).toBeDefined();
    expect(call).toBeDefined();

    messages.push({ role: 'assistant', content: first.content });
    messages.push({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call!.type === 'tool_use' ? call!.id : '', content: 'sunny' }] });
    const second = await client.messages.create({ model: MODEL_OF_TYPE.openai, max_tokens: 2000, tools, messages });
    expect(second.content).toEqual([expect.objectContaining({ type: 'text', text: 'Sunny.' })]);
    const input = (h.fake.requests.at(-1)!.body as { input: Array<{ type?: string; id?: string; encrypted_content?: string }> }).input;
    const reasoning = input.find((i) => i.type === 'reasoning');
    expect(reasoning?.id).toMatch(/^rs_/);
    expect(reasoning?.encrypted_content).toMatch(/^enc-/);
  });

  it('never sends another provider\'s reasoning to a Claude model', async () => {
    h.fake.setScenario({ text: 'ok' });
    const client = new Anthropic({ baseURL: h.url, apiKey: 'x', maxRetries: 0 });
    await client.messages.create({
      model: MODEL_OF_TYPE.anthropic,
      max_tokens: 2000,
      messages: [
        { role: 'user', content: 'hi' },
        { role: 'assistant', content: [{ type: 'thinking', thinking: 'gpt thoughts', signature: 'd2a.rs.rs_abc.enc-1' }, { type: 'text', text: 'hello' }] },
        { role: 'user', content: 'again' },
      ],
    });
    expect(JSON.stringify(h.fake.requests.at(-1)!.body)).not.toContain('d2a.rs.');
  });
});
