import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * /metrics against the traffic sent: two models, a stream, a 402 key that fails over once,
 * a stream the upstream breaks off, a request for an unknown model.
 */

const GOOD = 'k-good-metrics-1111';
const PAID = 'k-quota-402-metrics';

let h: Harness;
let text: string;

function sample(name: string, labels: Record<string, string>): number {
  const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    if (want.every((w) => line.includes(w))) total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

beforeAll(async () => {
  // A draw of 0 picks the first usable key: the first request meets the 402 key and fails over.
  h = await startHarness({ env: { FACTORY_API_KEY: `${PAID};${GOOD}` }, overrides: { random: () => 0 } });
  h.fake.setKeyBehaviour(PAID, { status: 402, errorMessage: 'insufficient balance' });
  h.fake.setScenario({ text: 'hello metrics', usage: { input: 11, output: 7 } });
  const openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'x', maxRetries: 0 });
  const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'x', maxRetries: 0 });
  const messages = [{ role: 'user' as const, content: 'hi' }];
  await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 50, messages });
  await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 50, messages });
  for await (const _ of await openai.chat.completions.create({ model: 'gpt-5.4', messages, stream: true })) void _;
  await openai.chat.completions.create({ model: 'no-such-model', messages }).catch(() => undefined);
  h.fake.setScenario({ text: 'cut short', midStream: 'cut' });
  const broken = await openai.chat.completions.create({ model: 'gpt-5.4', messages, stream: true });
  await (async () => {
    for await (const _ of broken) void _;
  })().catch(() => undefined);
  await vi.waitFor(async () => {
    text = await (await fetch(`${h.url}/metrics`)).text();
    if (sample('droid2api_model_requests_total', {}) !== 5) throw new Error('requests not all counted yet');
  });
});
afterAll(async () => h.close());

describe('/metrics', () => {
  it('counts requests by route, model and status class', () => {
    expect(sample('droid2api_model_requests_total', { route: '/v1/messages', model: 'claude-sonnet-4-6', status_class: '2xx' })).toBe(2);
    expect(sample('droid2api_model_requests_total', { route: '/v1/chat/completions', model: 'gpt-5.4', status_class: '2xx' })).toBe(2);
    expect(sample('droid2api_model_requests_total', { route: '/v1/chat/completions', model: 'none', status_class: '4xx' })).toBe(1);
  });

  it('counts the 402 failover by reason and every attempt by outcome', () => {
    expect(sample('droid2api_failovers_total', { reason: 'payment_required' })).toBe(1);
    expect(sample('droid2api_upstream_attempts_total', { endpoint: 'anthropic', model: 'claude-sonnet-4-6', outcome: 'payment_required' })).toBe(1);
    expect(sample('droid2api_upstream_attempts_total', { endpoint: 'anthropic', model: 'claude-sonnet-4-6', outcome: 'success' })).toBe(2);
    expect(sample('droid2api_upstream_attempts_total', { endpoint: 'openai', model: 'gpt-5.4', outcome: 'success' })).toBe(2);
  });

  it('times the first byte at the client and at the upstream', () => {
    expect(sample('droid2api_time_to_first_byte_seconds_count', { route: '/v1/messages', model: 'claude-sonnet-4-6' })).toBe(2);
    expect(sample('droid2api_upstream_time_to_first_byte_seconds_count', { endpoint: 'openai', model: 'gpt-5.4' })).toBe(2);
    expect(sample('droid2api_upstream_request_duration_seconds_count', { endpoint: 'anthropic', model: 'claude-sonnet-4-6' })).toBe(3);
  });

  it('tells a completed stream from one the upstream broke off', () => {
    expect(sample('droid2api_stream_outcomes_total', { model: 'gpt-5.4', outcome: 'completed' })).toBe(1);
    expect(sample('droid2api_stream_outcomes_total', { model: 'gpt-5.4', outcome: 'upstream_cut' })).toBe(1);
  });

  it('counts tokens by model and kind as the upstream reported them', () => {
    expect(sample('droid2api_tokens_total', { model: 'claude-sonnet-4-6', kind: 'output' })).toBe(14);
    expect(sample('droid2api_tokens_total', { model: 'claude-sonnet-4-6', kind: 'input' })).toBe(22);
  });

  it('exports the process metrics', () => {
    expect(text).toMatch(/^process_cpu_seconds_total /m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('names every answer with x-request-id and keeps an incoming one', async () => {
    const fresh = await fetch(`${h.url}/healthz`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^req_/);
    const kept = await fetch(`${h.url}/v1/models`, { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-abc.123');
    const unsafe = await fetch(`${h.url}/healthz`, { headers: { 'x-request-id': 'bad id\twith spaces' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^req_/);
  });
});
