/**
 * The pass-through request body in process: the benchmark's /v1/messages body after the
 * policies (`prepare`: the shipped config's system prompt added), serialised for the
 * upstream from the client's text (`stringifyReusing`) against JSON.stringify, each followed
 * by the UTF-8 length the upstream call takes (which flattens the text). Prints µs per
 * request from a body without history to agent-sized ones (`prepare` picks the first from
 * 8 KB on). Run: `npm run build && node dist/bench/request-body.js`.
 */
import { loadSettings } from '../src/config/load.js';
import type { WireObject } from '../src/dialects/dialect.js';
import { DIALECTS } from '../src/dialects/registry.js';
import { RetiredModelNotices } from '../src/pipeline/retired-models.js';
import { stringifyReusing } from '../src/pipeline/json-reuse.js';
import { prepare } from '../src/pipeline/prepare.js';
import type { Services } from '../src/services.js';
import { ClientGone } from '../src/upstream/client-gone.js';
import { scenarios } from './scenarios.js';

const settings = loadSettings({ FACTORY_API_KEY: 'bench-key' }, process.cwd(), () => undefined);
const services = { settings, dialects: DIALECTS, retiredModels: new RetiredModelNotices(), keywordFilter: { apply: (b: unknown) => b } } as unknown as Services;

function usPerCall(run: () => number, n: number): number {
  for (let i = 0; i < n / 5; i++) run();
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) run();
  return Number(process.hrtime.bigint() - started) / n / 1000;
}

const median = (runs: number[]) => [...runs].sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;

console.log('pass-through /v1/messages body → upstream JSON bytes, median of 5 runs');
for (const historyKb of [0, 8, 16, 32, 100]) {
  const text = scenarios(2, historyKb).find((s) => s.id === 'messages-json')!.gateway.body;
  const parsed = JSON.parse(text) as WireObject;
  const { body } = prepare(services, { client: DIALECTS.anthropic, body: parsed, headers: {}, signal: new ClientGone() });
  const n = Math.max(200, Math.floor(400_000 / text.length) * 10);
  const whole = median(Array.from({ length: 5 }, () => usPerCall(() => Buffer.byteLength(JSON.stringify(body)), n)));
  const reusing = median(Array.from({ length: 5 }, () => usPerCall(() => Buffer.byteLength(stringifyReusing(body, parsed, text)), n)));
  console.log(`${String(Math.round(text.length / 1024)).padStart(4)} KB body: JSON.stringify ${whole.toFixed(1)} µs, client's text reused ${reusing.toFixed(1)} µs`);
}
