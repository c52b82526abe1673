import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';
import { findCli, requireCli, skipSuite, suiteTitle } from './cli-bins.js';
import { codexArgs, codexEnv, writeCodexHome } from './cli-env.js';
import { describeRun, runCli, tempHome, type CliRun } from './run-cli.js';
import { mainRequests, markerCommand, roundTripScenario, textScenario, toolNames, toolOutputs, type UpstreamFormat } from './upstream.js';

/**
 * The real OpenAI Codex CLI (`codex exec`, wire_api "responses") drives the gateway's
 * /v1/responses, which talks to the fake Factory: once on gpt-5.2 (pass-through) and once
 * on a Claude model (Responses client → Anthropic upstream, through the IR).
 */

const TIMEOUT_MS = 60_000;
const RUN_MS = 50_000;
/** The shell tool Codex 0.171 declares (unified exec: `{cmd}`), called as a function tool. */
const TOOL = 'exec_command';

const MODELS: ReadonlyArray<{ model: string; format: UpstreamFormat; callId: string }> = [
  { model: MODEL_OF_TYPE.openai, format: 'responses', callId: 'call_e2e_codex_1' },
  { model: MODEL_OF_TYPE.anthropic, format: 'anthropic', callId: 'toolu_e2e_codex_1' },
];

const codex = findCli('codex');

describe.skipIf(skipSuite('Codex', codex))(suiteTitle('Codex', codex), () => {
  let h: Harness | undefined;

  beforeAll(async () => {
    if (codex.found) h = await startHarness();
  });
  afterAll(async () => h?.close());
  beforeEach(() => {
    requireCli(codex);
    h?.fake.reset();
  });

  async function exec(model: string, prompt: string): Promise<CliRun> {
    const bin = requireCli(codex);
    if (!h) throw new Error('harness not started');
    const home = tempHome('codex');
    try {
      const codexHome = writeCodexHome(home.path, h.url, model);
      return await runCli({
        bin,
        args: codexArgs(model, home.path, prompt),
        env: codexEnv(home.path, codexHome),
        cwd: home.path,
        timeoutMs: RUN_MS,
      });
    } finally {
      home.remove();
    }
  }

  for (const { model, format, callId } of MODELS) {
    describe(`on ${model} (${format} upstream)`, () => {
      it('completes a "say hello" turn and prints the upstream\'s answer', async () => {
        const text = `Hello from the e2e fake via ${model}.`;
        h!.fake.setScenario(textScenario(TOOL, text));

        const run = await exec(model, 'say hello');

        expect(run.code, describeRun(run)).toBe(0);
        expect(run.stdout, describeRun(run)).toContain(text);
        const main = mainRequests(h!.fake.requests, format, TOOL);
        expect(main.length, 'main-conversation upstream requests').toBeGreaterThanOrEqual(1);
        expect(main[0]!.body).toMatchObject({ model });
      }, TIMEOUT_MS);

      it('runs the exec_command call the model asks for and sends its output back', async () => {
        const marker = markerCommand(`codex-${format}`);
        const finalText = `The marker came back on ${model}.`;
        h!.fake.setScenario(roundTripScenario({ tool: TOOL, callId, args: { cmd: marker.command }, output: marker.output, finalText }));

        const run = await exec(model, 'Run the marker command, then tell me what it printed.');

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
