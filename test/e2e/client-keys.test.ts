import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';
import { findCli, requireCli, skipSuite, suiteTitle } from './cli-bins.js';
import { claudeArgs, claudeEnv, CODEX_ENV_KEY, codexArgs, codexEnv, writeCodexHome } from './cli-env.js';
import { describeRun, runCli, tempHome } from './run-cli.js';
import { textScenario } from './upstream.js';
import { ADMIN_KEY, admin, createClient } from '../clients/support.js';

/**
 * The README's team set-up, end to end: client keys made through the admin API, given to
 * the real Claude Code (ANTHROPIC_AUTH_TOKEN) and Codex (its provider's env_key), and the
 * usage report naming each one. A wrong key fails the CLI's turn.
 */

const TIMEOUT_MS = 120_000;
const RUN_MS = 50_000;
const claude = findCli('claude');
const codex = findCli('codex');

describe.skipIf(skipSuite('Claude Code', claude) || skipSuite('Codex', codex))(suiteTitle('client keys with Claude Code and Codex', claude), () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { ADMIN_KEY } });
  });
  afterAll(async () => h?.close());

  async function runClaude(key: string, text: string) {
    const home = tempHome('claude');
    try {
      h.fake.setScenario(textScenario('Bash', text));
      const env = { ...claudeEnv(home.path, h.url), ANTHROPIC_AUTH_TOKEN: key };
      delete (env as Record<string, string | undefined>).ANTHROPIC_API_KEY;
      return await runCli({ bin: requireCli(claude), args: claudeArgs(MODEL_OF_TYPE.anthropic, 'say hello'), env, cwd: home.path, timeoutMs: RUN_MS });
    } finally {
      home.remove();
    }
  }

  async function runCodex(key: string, text: string) {
    const home = tempHome('codex');
    try {
      h.fake.setScenario(textScenario('exec_command', text));
      const codexHome = writeCodexHome(home.path, h.url, MODEL_OF_TYPE.openai);
      return await runCli({ bin: requireCli(codex), args: codexArgs(MODEL_OF_TYPE.openai, home.path, 'say hello'), env: { ...codexEnv(home.path, codexHome), [CODEX_ENV_KEY]: key }, cwd: home.path, timeoutMs: RUN_MS });
    } finally {
      home.remove();
    }
  }

  it('each CLI works with its own key, the usage report names both, a wrong key fails', async () => {
    const alice = await createClient(h, { name: 'alice-claude-code', models: ['claude-*'] });
    const bob = await createClient(h, { name: 'bob-codex', models: ['gpt-*'] });

    const a = await runClaude(alice.key, 'Hello, Alice.');
    expect(a.code, describeRun(a)).toBe(0);
    expect(a.stdout, describeRun(a)).toContain('Hello, Alice.');
    const b = await runCodex(bob.key, 'Hello, Bob.');
    expect(b.code, describeRun(b)).toBe(0);
    expect(b.stdout, describeRun(b)).toContain('Hello, Bob.');
    expect(JSON.stringify(h.fake.requests.map((r) => r.headers))).not.toContain(alice.key);

    const report = await admin(h, 'GET', '/usage?group_by=client,model');
    const rows = report.json.rows as Array<{ client: string; model: string; requests: number; tokens_total: number }>;
    expect(rows.find((r) => r.client === 'alice-claude-code' && r.model === MODEL_OF_TYPE.anthropic)).toMatchObject({ requests: expect.any(Number), tokens_total: expect.any(Number) });
    expect(rows.find((r) => r.client === 'bob-codex' && r.model === MODEL_OF_TYPE.openai)?.requests).toBeGreaterThanOrEqual(1);
    expect(rows.every((r) => r.tokens_total > 0)).toBe(true);

    const wrong = await runCodex(`dk-${'W'.repeat(40)}`, 'never');
    expect(wrong.code, describeRun(wrong)).not.toBe(0);
  }, TIMEOUT_MS);
});
