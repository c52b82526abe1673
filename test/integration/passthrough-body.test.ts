import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

let g: Harness;
beforeAll(async () => {
  g = await startHarness();
});
afterAll(async () => {
  await g.close();
});

/**
 * A client's own spelling (escapes, exponent numbers, spacing, digits past 2^53) in a body
 * the size of an agent's: from 8 KB on the client's text is reused (pipeline/prepare.ts).
 */
const EARLIER = JSON.stringify({ role: 'assistant', content: 'const x = "y"; // \\ \n'.repeat(500) });
const MESSAGES = `[ ${EARLIER}, {"role":"user","content":"caf\\u00e9 \\"quoted\\" C:\\\\dir\\\\"} ]`;

async function post(path: string, text: string): Promise<Response> {
  return fetch(`${g.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
}

describe('a pass-through request body', () => {
  it('reaches Factory with the client’s own text for every member the policies leave unchanged', async () => {
    g.fake.reset();
    const text = `{"model":"${MODEL_OF_TYPE.anthropic}", "max_tokens" : 1e3, "messages": ${MESSAGES}, "metadata": {"user_id": "u-1", "n": 12345678901234567890}}`;
    const res = await post('/v1/messages', text);
    expect(res.status).toBe(200);
    const sent = g.fake.requests.at(-1)!;
    expect(sent.text).toContain(`"max_tokens":1e3`);
    expect(sent.text).toContain(`"messages":${MESSAGES}`);
    expect(sent.text).toContain('"n": 12345678901234567890');
    // What the policies changed is theirs: the shipped config's system prompt, in Anthropic's block form.
    const body = sent.body as { system: Array<{ text: string }>; model: string; max_tokens: number };
    expect(body.system[0]!.text).toContain('You are Droid');
    expect(body.model).toBe(MODEL_OF_TYPE.anthropic);
    expect(body.max_tokens).toBe(1000);
  });

  it('a Chat pass-through gets its stream usage option added, the rest as the client wrote it', async () => {
    g.fake.reset();
    const text = `{"model":"${MODEL_OF_TYPE.common}","messages":${MESSAGES},"stream":true,"temperature":0.50}`;
    const res = await post('/v1/chat/completions', text);
    expect(res.status).toBe(200);
    await res.text();
    const sent = g.fake.requests.at(-1)!;
    expect(sent.text).toContain('"temperature":0.50');
    expect(sent.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    const messages = (sent.body as { messages: Array<{ role: string; content: string }> }).messages;
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'café "quoted" C:\\dir\\' });
  });

  it('a small body is serialised whole (as fast below 8 KB), with the same meaning', async () => {
    g.fake.reset();
    const text = `{"model":"${MODEL_OF_TYPE.anthropic}","max_tokens":1e3,"messages":[{"role":"user","content":"caf\\u00e9"}]}`;
    const res = await post('/v1/messages', text);
    expect(res.status).toBe(200);
    const sent = g.fake.requests.at(-1)!;
    expect(sent.text).toContain('"max_tokens":1000');
    expect(sent.body).toMatchObject({ max_tokens: 1000, messages: [{ role: 'user', content: 'café' }] });
  });
});
