import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';
import { findCli, requireCli, skipSuite, suiteTitle } from './cli-bins.js';
import { claudeArgs, claudeEnv } from './cli-env.js';
import { describeRun, runCli, tempHome, type CliRun } from './run-cli.js';
import { mainRequests, markerCommand, roundTripScenario, textScenario, toolNames, toolOutputs, type UpstreamFormat } from './upstream.js';

/**
 * The real Claude Code CLI (`claude -p`) drives the gateway's /v1/messages, which talks to
 * the fake Factory: once on a Claude model (pass-through) and once on gpt-5.2 (Anthropic
 * client → Responses upstream, through the IR).
 */

const TIMEOUT_MS = 60_000;
const RUN_MS = 50_000;
const TOOL = 'Bash';

const MODELS: ReadonlyArray<{ model: string; format: UpstreamFormat; callId: string }> = [
  { model: MODEL_OF_TYPE.anthropic, format: 'anthropic', callId: 'toolu_e2e_claude_1' },
  { model: MODEL_OF_TYPE.openai, format: 'responses', callId: 'call_e2e_claude_1' },
];

const claude = findCli('claude');

describe.skipIf(skipSuite('Claude Code', claude))(suiteTitle('Claude Code', claude), () => {
  let h: Harness | undefined;

  beforeAll(async () => {
    if (claude.found) h = await startHarness();
  });
  afterAll(async () => h?.close());
  beforeEach(() => {
    requireCli(claude);
    h?.fake.reset();
  });

  async function ask(model: string, prompt: string): Promise<CliRun> {
    const bin = requireCli(claude);
    if (!h) throw new Error('harness not started');
    const home = tempHome('claude');
    try {
      return await runCli({ bin, args: claudeArgs(model, prompt), env: claudeEnv(home.path, h.url), cwd: home.path, timeoutMs: RUN_MS });
    } finally {
      home.remove();
    }
  }

  for (const { model, format, callId } of MODELS) {
    describe(`on ${model} (${format} upstream)`, () => {
      it('completes a "say hello" turn and prints the upstream\'s answer', async () => {
        const text = `Hello from the e2e fake via ${model}.`;
        h!.fake.setScenario(textScenario(TOOL, text));

        const run = await ask(model, 'say hello');

        expect(run.code, describeRun(run)).toBe(0);
        expect(run.stdout, describeRun(run)).toContain(text);
        const main = mainRequests(h!.fake.requests, format, TOOL);
        expect(main.length, 'main-conversation upstream requests').toBeGreaterThanOrEqual(1);
        expect(main[0]!.body).toMatchObject({ model });
      }, TIMEOUT_MS);

      it('runs the Bash call the model asks for and sends its output back as the tool result', async () => {
        const marker = markerCommand(`claude-${format}`);
        const finalText = `The marker came back on ${model}.`;
        h!.fake.setScenario(roundTripScenario({
          tool: TOOL,
          callId,
          args: { command: marker.command, description: 'Print the e2e marker' },
          output: marker.output,
          finalText,
        }));

        const run = await ask(model, 'Run the marker command, then tell me what it printed.');

        const main = mainRequests(h!.fake.requests, format, TOOL);
        const declared = toolNames(h!.fake.requests[0]?.body);
        expect(main.length, `main requests (first request declared: ${declared.join(', ')})\n${describeRun(run)}`).toBeGreaterThanOrEqual(2);
        expect(toolOutputs(format, main[0]!.body)).toEqual([]);
        const outputs = toolOutputs(format, main.at(-1)!.body);
        expect(outputs, describeRun(run)).toContainEqual({ callId, text: expect.stringContaining(marker.output) });
        expect(run.code, describeRun(run)).toBe(0);
        expect(run.stdout, describeRun(run)).toContain(finalText);
      }, TIMEOUT_MS);
    });
  }
});
