/**
 * Codex sends MCP and dynamic tools grouped in Responses `namespace` tools. On a model whose
 * upstream has no namespaces (Claude here), they travel flattened and come back split.
 */
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ fake: { chunking: { seed: 3, maxSize: 17 } } });
  h.fake.setScenario({ text: '', toolCalls: [{ id: 'toolu_1', name: 'mcp__crm__get_customer', arguments: { id: '7' } }], finish: 'tool_calls' });
});
afterAll(async () => h.close());

const namespaceTool = {
  type: 'namespace',
  name: 'mcp__crm',
  description: 'The CRM server.',
  tools: [{ type: 'function', name: 'get_customer', description: 'One customer by id.', parameters: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] } }],
};

describe('Responses namespace tools on a Claude model', () => {
  for (const stream of [false, true]) {
    it(`${stream ? 'stream' : 'JSON'}: the upstream gets flat tools, the client gets the call back with its namespace`, async () => {
      const client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'k', maxRetries: 0 });
      const params = { model: MODEL_OF_TYPE.anthropic, input: 'Who is customer 7?', tools: [namespaceTool] } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming;
      const response = stream
        ? await client.responses.stream({ ...params, stream: true } as unknown as OpenAI.Responses.ResponseCreateParamsStreaming).finalResponse()
        : await client.responses.create(params);
      const call = response.output.find((o) => o.type === 'function_call') as unknown as Record<string, unknown>;
      expect(call).toMatchObject({ namespace: 'mcp__crm', name: 'get_customer', arguments: '{"id":"7"}', call_id: 'toolu_1' });
      const upstream = h.fake.requests.at(-1)!.body as { tools: Array<{ name: string; description: string }> };
      expect(upstream.tools).toEqual([expect.objectContaining({ name: 'mcp__crm__get_customer', description: 'The CRM server.\n\nOne customer by id.' })]);
    });
  }

  it('sends the replayed call and its output upstream under the flat name', async () => {
    const client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'k', maxRetries: 0 });
    h.fake.setScenario({ text: 'Customer 7 is Ada.' });
    await client.responses.create({
      model: MODEL_OF_TYPE.anthropic,
      tools: [namespaceTool],
      input: [
        { role: 'user', content: 'Who is customer 7?' },
        { type: 'function_call', call_id: 'toolu_1', namespace: 'mcp__crm', name: 'get_customer', arguments: '{"id":"7"}' },
        { type: 'function_call_output', call_id: 'toolu_1', output: 'Ada' },
      ],
    } as unknown as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    const upstream = h.fake.requests.at(-1)!.body as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> };
    const blocks = upstream.messages.flatMap((m) => m.content);
    expect(blocks).toContainEqual(expect.objectContaining({ type: 'tool_use', id: 'toolu_1', name: 'mcp__crm__get_customer', input: { id: '7' } }));
    expect(blocks).toContainEqual(expect.objectContaining({ type: 'tool_result', tool_use_id: 'toolu_1' }));
  });
});
