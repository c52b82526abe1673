import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/keys/credential.js';
import { startHarness, type Harness } from '../support/harness.js';
import { call, chat } from './http.js';
import { parseMetrics } from '../support/metrics-text.js';

/** Weighted selection then always draws the last usable key: every dead key is tried on the first request. */
const LAST_KEY_FIRST = () => 0.999;

const GOOD = 'k-good-aaaa-1111111111';
const QUOTA = 'k-quota-bbbb-22222222';

async function scrape(h: Harness): Promise<{ text: string; samples: Map<string, number> }> {
  const answer = await call(h, 'GET', '/metrics');
  expect(answer.status).toBe(200);
  expect(answer.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return { text: answer.text, samples: parseMetrics(answer.text) };
}

const value = (samples: Map<string, number>, name: string) => samples.get(name) ?? 0;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ env: { FACTORY_API_KEY: `${GOOD};${QUOTA}` }, overrides: { random: LAST_KEY_FIRST } });
  h.fake.setKeyBehaviour(QUOTA, { status: 402 });
});
afterAll(async () => h.close());

describe('GET /metrics', () => {
  it('counts requests by route pattern and status, streamed answers included', async () => {
    const before = (await scrape(h)).samples;
    expect((await call(h, 'GET', '/no/such/path')).status).toBe(404);
    for (let i = 0; i < 3; i++) expect(await chat(h)).toBe(200);
    for (let i = 0; i < 2; i++) expect(await chat(h, { stream: true })).toBe(200);
    const chat200 = 'droid2api_requests_total{route="/v1/chat/completions",status="200"}';
    // A reply is counted when its socket side closes, a moment after the client has read it.
    await expect.poll(async () => value((await scrape(h)).samples, chat200) - value(before, chat200)).toBe(5);
    const after = (await scrape(h)).samples;
    expect(value(after, 'droid2api_requests_total{route="unmatched",status="404"}')).toBe(1);
    const count = 'droid2api_request_duration_seconds_count{route="/v1/chat/completions"}';
    expect(value(after, count) - value(before, count)).toBe(5);
    expect(value(after, 'droid2api_request_duration_seconds_bucket{le="+Inf",route="/v1/chat/completions"}')).toBe(value(after, count));
    expect(value(after, 'droid2api_requests_total{route="/metrics",status="200"}')).toBeGreaterThan(0);
  });

  it('exposes the keys by status and per-key outcomes and tokens, labelled by fingerprint', async () => {
    const { text, samples } = await scrape(h);
    expect(value(samples, 'droid2api_keys{status="active"}')).toBe(1);
    expect(value(samples, 'droid2api_keys{status="retired"}')).toBe(1);
    expect(samples.has('droid2api_keys{status="cooling"}')).toBe(true);
    expect(value(samples, 'droid2api_store_write_lag_seconds')).toBeGreaterThanOrEqual(0);
    const good = fingerprint(GOOD);
    expect(value(samples, `droid2api_key_requests_total{key="${good}",outcome="success"}`)).toBe(5);
    expect(value(samples, `droid2api_key_requests_total{key="${fingerprint(QUOTA)}",outcome="failure"}`)).toBe(1);
    expect(value(samples, `droid2api_key_tokens_total{key="${good}",kind="in"}`)).toBeGreaterThan(0);
    expect(value(samples, `droid2api_key_tokens_total{key="${good}",kind="out"}`)).toBeGreaterThan(0);
    expect(samples.has(`droid2api_key_tokens_total{key="${good}",kind="cached"}`)).toBe(true);
    expect(text).toContain('# TYPE droid2api_key_requests_total counter');
    for (const secret of [GOOD, QUOTA]) expect(text).not.toContain(secret);
  });

  it('keeps each app\'s metrics to itself (no shared global registry)', async () => {
    const other = await startHarness({ env: { FACTORY_API_KEY: GOOD } });
    try {
      const { samples } = await scrape(other);
      expect(value(samples, 'droid2api_requests_total{route="/v1/chat/completions",status="200"}')).toBe(0);
    } finally {
      await other.close();
    }
  });
});

describe('GET /metrics with a large pool', () => {
  it('sums the per-key series by status beyond METRICS_MAX_KEY_SERIES keys', async () => {
    const keys = Array.from({ length: 5 }, (_, i) => `k-many-${i}-1111111111`);
    const big = await startHarness({ env: { FACTORY_API_KEY: keys.join(';'), METRICS_MAX_KEY_SERIES: '3' }, overrides: { random: LAST_KEY_FIRST } });
    try {
      big.fake.setKeyBehaviour(keys[4]!, { status: 402 });
      for (let i = 0; i < 4; i++) expect(await chat(big)).toBe(200);
      const { text, samples } = await scrape(big);
      for (const k of keys) expect(text).not.toContain(`key="${fingerprint(k)}"`);
      expect(value(samples, 'droid2api_key_requests_total{key="status:active",outcome="success"}')).toBe(4);
      expect(value(samples, 'droid2api_key_requests_total{key="status:retired",outcome="failure"}')).toBe(1);
      expect(value(samples, 'droid2api_key_tokens_total{key="status:active",kind="in"}')).toBeGreaterThan(0);
    } finally {
      await big.close();
    }
  });
});
