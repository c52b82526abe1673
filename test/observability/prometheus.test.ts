import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { checkRules, HAVE_PROMETHEUS, startPrometheus, type PrometheusServer } from '../support/prometheus.js';

/**
 * The shipped Grafana dashboard and alert rules against a real Prometheus scraping a
 * gateway that serves traffic from the fake upstream: every expression must parse and the
 * dashboard's must return data.
 */

interface Panel {
  title: string;
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(readFileSync('docs/grafana/droid2api.json', 'utf8')) as { panels: Panel[]; templating: { list: { name: string; type: string }[] } };
const rules = parse(readFileSync('docs/prometheus/alerts.yml', 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };

/** What Grafana would put in for the dashboard's variables. */
function concrete(expr: string): string {
  return expr.replaceAll('$__rate_interval', '1m').replaceAll('$job', 'droid2api');
}

const PAID = 'k-quota-402-prometheus';
const GOOD = 'k-good-prometheus-111';

let h: Harness;
let prom: PrometheusServer;

async function traffic(): Promise<void> {
  const openai = new OpenAI({ baseURL: `${h.url}/v1`, apiKey: 'x', maxRetries: 0 });
  const anthropic = new Anthropic({ baseURL: h.url, apiKey: 'x', maxRetries: 0 });
  const messages = [{ role: 'user' as const, content: 'hi' }];
  h.fake.setScenario({ text: 'prometheus' });
  await anthropic.messages.create({ model: 'claude-sonnet-4-6', max_tokens: 20, messages });
  for await (const _ of await openai.chat.completions.create({ model: 'gpt-5.4', messages, stream: true })) void _;
  await openai.chat.completions.create({ model: 'no-such-model', messages }).catch(() => undefined);
  h.fake.setScenario({ text: 'cut', midStream: 'cut' });
  await (async () => {
    for await (const _ of await openai.chat.completions.create({ model: 'kimi-k2.5', messages, stream: true })) void _;
  })().catch(() => undefined);
}

describe.skipIf(!HAVE_PROMETHEUS && process.env.CI !== 'true')('Grafana dashboard and alert rules on a real Prometheus', () => {
  beforeAll(async () => {
    h = await startHarness({ env: { FACTORY_API_KEY: `${PAID};${GOOD}` }, overrides: { random: () => 0 } });
    h.fake.setKeyBehaviour(PAID, { status: 402, errorMessage: 'insufficient balance' });
    prom = await startPrometheus(new URL(h.url).host);
    await prom.waitForScrapes(1);
    await traffic();
    await prom.waitForScrapes(3);
    await traffic();
    await prom.waitForScrapes(5);
  }, 120_000);
  afterAll(async () => {
    await prom?.stop();
    await h?.close();
  });

  it('has a datasource variable', () => {
    expect(dashboard.templating.list.find((v) => v.type === 'datasource')?.name).toBe('datasource');
  });

  const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ title: p.title, expr: t.expr })));
  it.each(exprs)('dashboard panel "$title" returns data', async ({ expr }) => {
    const data = await prom.query(concrete(expr));
    expect(data.result.length).toBeGreaterThan(0);
  });

  it('alert rules pass promtool check rules', () => {
    const result = checkRules('docs/prometheus/alerts.yml');
    expect(result.output).toContain('SUCCESS');
    expect(result.ok).toBe(true);
  });

  const alerts = rules.groups.flatMap((g) => g.rules);
  it.each(alerts)('alert $alert evaluates on the gateway\'s metrics', async ({ expr }) => {
    await expect(prom.query(expr)).resolves.toMatchObject({ resultType: 'vector' });
  });
});
