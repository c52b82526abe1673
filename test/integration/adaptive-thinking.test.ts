import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * Claude 4.6 and later take thinking as `adaptive` with `output_config.effort`; 4.7 and
 * later refuse budgets and `disabled` with a 400. What the fake Factory receives, from real
 * SDK clients, converted and passed through.
 */
let h: Harness;
beforeAll(async () => {
  // The shipped config plus a 4.7 model (not shipped yet): the gateway serves any model a user adds.
  const shipped = JSON.parse(readFileSync('config.json', 'utf8')) as { models: unknown[] };
  shipped.models.push({ name: 'Claude Opus 4.7', id: 'claude-opus-4-7', type: 'anthropic', reasoning: 'auto', provider: 'anthropic' });
  const file = join(mkdtempSync(join(tmpdir(), 'd2a-config-')), 'config.json');
  writeFileSync(file, JSON.stringify(shipped));
  h = await startHarness({ env: { DROID2API_CONFIG: file } });
  h.fake.setScenario({ text: 'ok', thinking: 'hm' });
});
afterAll(async () => h.close());

const lastBody = () => h.fake.requests.at(-1)!.body as Record<string, unknown>;

describe('thinking for Claude models that think adaptively', () => {
  it('converts a Chat reasoning_effort into adaptive thinking with that effort for Claude Opus 4.6', async () => {
    const client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const answer = await client.chat.completions.create({ model: 'claude-opus-4-6', reasoning_effort: 'high', messages: [{ role: 'user', content: 'hi' }] });
    expect(answer.choices[0]?.message.content).toBe('ok');
    expect(lastBody()).toMatchObject({ thinking: { type: 'adaptive' }, output_config: { effort: 'high' } });
    expect(lastBody().thinking).not.toHaveProperty('budget_tokens');
  });

  it('passes an Anthropic client budget to Claude Opus 4.7 as adaptive thinking with an effort', async () => {
    const client = new Anthropic({ baseURL: h.url, apiKey: 'x', maxRetries: 0 });
    const answer = await client.messages.create({
      model: 'claude-opus-4-7',
      max_tokens: 20000,
      thinking: { type: 'enabled', budget_tokens: 10000 },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(answer.content.find((b) => b.type === 'text')).toMatchObject({ text: 'ok' });
    expect(lastBody()).toMatchObject({ model: 'claude-opus-4-7', thinking: { type: 'adaptive' }, output_config: { effort: 'medium' } });
  });

  it('counts tokens for Claude Opus 4.7 with the thinking it takes', async () => {
    const client = new Anthropic({ baseURL: h.url, apiKey: 'x', maxRetries: 0 });
    const counted = await client.messages.countTokens({
      model: 'claude-opus-4-7',
      thinking: { type: 'enabled', budget_tokens: 5000 },
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(counted.input_tokens).toBeGreaterThan(0);
    expect(h.fake.requests.at(-1)!.path).toMatch(/count_tokens$/);
    expect(lastBody().thinking).toEqual({ type: 'adaptive' });
    expect(lastBody()).not.toHaveProperty('output_config');
  });

  it('sends no thinking field to Claude Opus 4.7 when a Responses client turns reasoning off', async () => {
    const client = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'x', maxRetries: 0 });
    await client.responses.create({ model: 'claude-opus-4-7', reasoning: { effort: 'none' }, input: 'hi' });
    expect(lastBody()).not.toHaveProperty('thinking');
  });
});
