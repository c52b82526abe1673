import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistorySeries, TrafficSummary } from '../../src/history/summary.js';
import type { TrafficSections } from '../../src/routes/status-traffic.js';
import { startHarness, type Harness } from '../support/harness.js';

/**
 * /status.json's endpoints and models tables and the charts' history, against the traffic
 * sent, kept through a restart (SQLite).
 */

const PAID = 'k-quota-402-history';
const GOOD = 'k-good-history-1111';

let dataDir: string;
let h: Harness;

async function start(): Promise<Harness> {
  const harness = await startHarness({ env: { FACTORY_API_KEY: `${PAID};${GOOD}`, STATE_STORE: 'sqlite', DATA_DIR: dataDir }, overrides: { random: () => 0 } });
  harness.fake.setKeyBehaviour(PAID, { status: 402, errorMessage: 'insufficient balance' });
  harness.fake.setScenario({ text: 'history', usage: { input: 20, output: 5 } });
  return harness;
}

async function status(range = '1h'): Promise<TrafficSections> {
  await h.services.history.recorder.flush();
  return (await (await fetch(`${h.url}/status.json?range=${range}`)).json()) as TrafficSections;
}

function row(rows: TrafficSummary[], name: string): TrafficSummary {
  const found = rows.find((r) => r.name === name);
  if (!found) throw new Error(`no row ${name} in ${rows.map((r) => r.name).join(', ')}`);
  return found;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'd2a-history-'));
  h = await start();
  const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'x', maxRetries: 0 });
  const openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'x', maxRetries: 0 });
  const messages = [{ role: 'user' as const, content: 'hi' }];
  for (let i = 0; i < 3; i++) await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 20, messages });
  for (let i = 0; i < 2; i++) await openai.chat.completions.create({ model: 'gpt-5.4', messages });
  await openai.chat.completions.create({ model: 'gpt-5.4', messages: [] }).catch(() => undefined);
});
afterAll(async () => h.close());

describe('traffic history on /status.json', () => {
  it('has a models table that matches the traffic', async () => {
    const { models } = await status();
    expect(row(models, 'claude-sonnet-4-6')).toMatchObject({ requests: 3, errors4xx: 0, failovers: 1, tokensIn: 60, tokensOut: 15, successRate: 1 });
    expect(row(models, 'gpt-5.4')).toMatchObject({ requests: 3, errors4xx: 1, successRate: 2 / 3 });
    expect(row(models, 'gpt-5.4').lastError).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(row(models, 'claude-sonnet-4-6').ttfbP95Ms).toBeGreaterThan(0);
  });

  it('has an endpoints table per client route and per upstream endpoint', async () => {
    const { endpoints } = await status();
    expect(row(endpoints.routes, '/v1/messages').requests).toBe(3);
    expect(row(endpoints.routes, '/v1/chat/completions').requests).toBe(3);
    expect(row(endpoints.upstreams, 'anthropic').requests).toBe(3);
    // The refused request never reached an upstream endpoint.
    expect(row(endpoints.upstreams, 'openai').requests).toBe(2);
  });

  it('has the configuration at a glance', async () => {
    const doc = (await (await fetch(`${h.url}/status.json`)).json()) as { configuration: Record<string, unknown> };
    expect(doc.configuration).toMatchObject({ credentialMode: 'key pool', rotation: 'weighted', removeOn402: true, maxAttempts: 3, store: 'sqlite' });
    expect(doc.configuration.keysByState).toMatchObject({ active: 1, retired: 1 });
  });

  it('gives the charts a point per minute of the last hour', async () => {
    await h.services.history.recorder.flush();
    const series = (await (await fetch(`${h.url}/status/history.json?range=1h&dimension=all`)).json()) as HistorySeries;
    expect(series.t).toHaveLength(60);
    expect(series.series['']!.requests.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('keeps the history and the last errors through a restart', async () => {
    const before = await status('24h');
    await h.close();
    h = await start();
    const { models, endpoints } = await status('24h');
    expect(row(models, 'claude-sonnet-4-6').requests).toBe(3);
    expect(row(models, 'gpt-5.4').lastError).toEqual(row(before.models, 'gpt-5.4').lastError);
    expect(row(models, 'gpt-5.4').lastError).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(row(endpoints.routes, '/v1/chat/completions').lastError).toMatchObject({ status: 400, code: 'invalid_request' });
    expect(row(models, 'claude-sonnet-4-6').lastError).toBeNull();
    const series = (await (await fetch(`${h.url}/status/history.json?range=24h&dimension=model`)).json()) as HistorySeries;
    expect(series.t).toHaveLength(24);
    expect(series.series['gpt-5.4']!.requests.reduce((a, b) => a + b, 0)).toBe(3);
  });
});
