import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../fake-factory/index.js';
import { anthropicClient, chatClient, geminiClient, responsesClient, type ClientAdapter } from '../support/clients.js';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

/**
 * Every client dialect against every upstream model type, stream and non-stream, through
 * the official SDKs where they exist: text with multi-byte characters, thinking, usage,
 * and a tool round trip (call, then result).
 */

const TEXT = '你好, мир 👋🏽 — ready.';
const THINKING = 'Pondering the question…';

const STOP: Record<ClientAdapter['dialect'], string> = {
  'openai-chat': 'stop',
  'openai-responses': 'completed',
  anthropic: 'end_turn',
  google: 'STOP',
};
const TOOL_STOP: Record<ClientAdapter['dialect'], string> = {
  'openai-chat': 'tool_calls',
  'openai-responses': 'completed',
  anthropic: 'tool_use',
  google: 'STOP',
};

const hasToolResult = (req: RecordedRequest) => JSON.stringify(req.body).includes('sunny, 21');

let h: Harness;
let clients: ClientAdapter[];

beforeAll(async () => {
  h = await startHarness({ fake: { chunking: { seed: 7, maxSize: 5 } } });
  clients = [chatClient(h.url), responsesClient(h.url), anthropicClient(h.url), geminiClient(h.url)];
});
afterAll(async () => h.close());

for (const dialect of ['openai-chat', 'openai-responses', 'anthropic', 'google'] as const) {
  for (const [type, model] of Object.entries(MODEL_OF_TYPE)) {
    for (const stream of [false, true]) {
      describe(`${dialect} client → ${type} model (${model}), ${stream ? 'stream' : 'non-stream'}`, () => {
        const client = () => clients.find((c) => c.dialect === dialect)!;

        it('answers text and thinking intact, with usage and the dialect\'s stop reason', async () => {
          h.fake.setScenario({ text: TEXT, thinking: THINKING, usage: { input: 42, output: 17, reasoning: 5 } });
          const answer = await client().ask({ model, stream, prompt: 'Hello', reasoning: true });
          expect(answer.text).toBe(TEXT);
          expect(answer.thinking).toContain(THINKING);
          expect(answer.outputTokens).toBe(17);
          expect(answer.inputTokens).toBeGreaterThan(0);
          expect(answer.finish).toBe(STOP[dialect]);
          expect(answer.toolCalls).toEqual([]);
        });

        it('completes a tool round trip: the call reaches the client and its result reaches the model', async () => {
          h.fake.setScenario((req) =>
            hasToolResult(req)
              ? { text: 'It is sunny in Paris.' }
              : { text: '', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
          );
          const first = await client().ask({ model, stream, prompt: 'Weather in Paris?', tools: true });
          expect(first.toolCalls).toHaveLength(1);
          expect(first.toolCalls[0]).toMatchObject({ name: 'get_weather', args: { city: 'Paris' } });
          expect(first.finish).toBe(TOOL_STOP[dialect]);

          const second = await client().ask({ model, stream, prompt: '', tools: true, previous: first, toolResult: 'sunny, 21°C' });
          expect(second.text).toBe('It is sunny in Paris.');
          expect(hasToolResult(h.fake.requests.at(-1)!)).toBe(true);
        });
      });
    }
  }
}
