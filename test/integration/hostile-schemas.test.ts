import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { explodingSchema, nestedSchemaText } from '../support/hostile-schemas.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h.close());
beforeEach(() => h.fake.reset());

/** `body` as JSON, where each string `@deep@` stands for a schema nested `deep` levels (spliced in as text). */
async function post(path: string, body: unknown, deep = 0) {
  const text = JSON.stringify(body).replace('"@deep@"', () => nestedSchemaText(deep));
  const res = await fetch(h.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const user = [{ role: 'user', content: 'hi' }];

describe('a tool schema built to explode costs bounded work and no upstream call', () => {
  it('answers 400 in the OpenAI shape naming the tool when $refs would double 40 times for a Gemini model', async () => {
    const tools = [{ type: 'function', function: { name: 'explode', parameters: explodingSchema(40) } }];
    const r = await post('/v1/chat/completions', { model: 'gemini-3-flash-preview', messages: user, tools });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { type: 'invalid_request_error', param: 'tools' } });
    expect(JSON.stringify(r.json)).toContain('explode');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('answers 400 in the Anthropic shape for the same schema on /v1/messages', async () => {
    const tools = [{ name: 'explode', input_schema: explodingSchema(40) }];
    const r = await post('/v1/messages', { model: 'gemini-3-flash-preview', max_tokens: 10, messages: user, tools, stream: true });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(JSON.stringify(r.json)).toContain('explode');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('answers 400 in the Google shape for a Gemini schema nested too deep for any dialect', async () => {
    const tools = [{ functionDeclarations: [{ name: 'deep', parameters: '@deep@' }] }];
    const r = await post('/v1beta/models/claude-sonnet-4-6:generateContent', { contents: [{ role: 'user', parts: [{ text: 'hi' }] }], tools }, 20_000);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
    expect(JSON.stringify(r.json)).toContain('deep');
    expect(h.fake.requests).toHaveLength(0);
  });

  it('answers 400 for a deeply nested schema converted between OpenAI and Anthropic (no 500 from serialising it)', async () => {
    const tools = [{ type: 'function', function: { name: 'deep', parameters: '@deep@' } }];
    const r = await post('/v1/chat/completions', { model: 'claude-sonnet-4-6', messages: user, tools }, 20_000);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error: { type: 'invalid_request_error', param: 'tools' } });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('still serves a schema with shared and recursive definitions to a Gemini model', async () => {
    const parameters = {
      type: 'object',
      properties: { a: { $ref: '#/$defs/Node' }, b: { $ref: '#/$defs/Node' }, c: { $ref: '#/$defs/Leaf' }, d: { $ref: '#/$defs/Leaf' } },
      $defs: { Node: { type: 'object', properties: { child: { $ref: '#/$defs/Node' } } }, Leaf: { type: 'string' } },
    };
    const tools = [{ type: 'function', function: { name: 'tree', parameters } }];
    const r = await post('/v1/chat/completions', { model: 'gemini-3-flash-preview', messages: user, tools });
    expect(r.status).toBe(200);
    const sent = h.fake.requests[0]!.body as { tools: Array<{ functionDeclarations: Array<{ parameters: unknown }> }> };
    expect(sent.tools[0]!.functionDeclarations[0]!.parameters).toMatchObject({ properties: { c: { type: 'string' }, d: { type: 'string' } } });
  });
});
