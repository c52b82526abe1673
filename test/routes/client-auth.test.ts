import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ env: { GATEWAY_API_KEY: 'gw-secret-1; gw-secret-2' } });
  h.fake.setScenario({ text: 'ok' });
});
afterAll(async () => h.close());

describe('GATEWAY_API_KEY', () => {
  it('refuses API clients without a gateway key, in their own dialect', async () => {
    const openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'wrong', maxRetries: 0 });
    await expect(openai.chat.completions.create({ model: MODEL_OF_TYPE.anthropic, messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'wrong', maxRetries: 0 });
    const err = await anthropic.messages.create({ model: MODEL_OF_TYPE.anthropic, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((err as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    expect(h.fake.requests).toHaveLength(0);
  });

  it('serves clients presenting any of the keys, as Bearer or x-api-key, and never forwards them', async () => {
    const openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'gw-secret-2', maxRetries: 0 });
    expect((await openai.chat.completions.create({ model: MODEL_OF_TYPE.anthropic, messages: [{ role: 'user', content: 'hi' }] })).choices[0]!.message.content).toBe('ok');
    const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'gw-secret-1', maxRetries: 0 });
    const m = await anthropic.messages.create({ model: MODEL_OF_TYPE.anthropic, max_tokens: 5, messages: [{ role: 'user', content: 'hi' }] });
    expect(m.content[0]).toMatchObject({ type: 'text', text: 'ok' });
    expect(h.fake.requests.every((r) => r.key === 'test-key-1')).toBe(true);
    expect(JSON.stringify(h.fake.requests.map((r) => r.headers))).not.toContain('gw-secret');
  });

  it('leaves the health probes open', async () => {
    expect((await fetch(`${h.url}/healthz`)).status).toBe(200);
  });
});
