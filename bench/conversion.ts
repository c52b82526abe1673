/**
 * The gateway's own code on a stream, in process, without sockets: one Anthropic answer
 * (16 upstream events, one per read) watched as a pass-through (`watchPassthrough`), and
 * converted through `convertStream` into Chat Completions SSE,
 * repeated. Prints µs per answer, next to the cost of only iterating the same reads.
 * Run: `npm run build && node dist/bench/conversion.js`; BENCH_ONLY=<name prefix> runs one
 * line, BENCH_N answers per run (e.g. under `node --cpu-prof`).
 */
import { anthropicDialect } from '../src/dialects/anthropic/index.js';
import type { WriteContext } from '../src/dialects/ir.js';
import { openAiChatDialect } from '../src/dialects/openai-chat/index.js';
import { convertStream } from '../src/pipeline/client-stream.js';
import { watchPassthrough } from '../src/pipeline/passthrough-watch.js';
import { UpstreamReader } from '../src/pipeline/upstream-events.js';
import { FAKE_SCENARIO } from './scenarios.js';
import { UpstreamBody } from '../src/upstream/upstream-body.js';

const frame = (data: { type: string } & Record<string, unknown>) => `event: ${data.type}\ndata: ${JSON.stringify(data)}\n\n`;
const pieces = (text: string, n: number) => Array.from({ length: n }, (_, i) => text.slice(Math.floor((i * text.length) / n), Math.floor(((i + 1) * text.length) / n)));

const READS = [
  frame({ type: 'message_start', message: { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-6', content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: 640, output_tokens: 1 } } }),
  frame({ type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }),
  frame({ type: 'ping' }),
  ...pieces(FAKE_SCENARIO.thinking ?? '', 3).map((thinking) => frame({ type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking } })),
  frame({ type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxRcRNzMZgF6hWhJ0QiMMa0' } }),
  frame({ type: 'content_block_stop', index: 0 }),
  frame({ type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } }),
  ...pieces(FAKE_SCENARIO.text ?? '', 4).map((text) => frame({ type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text } })),
  frame({ type: 'content_block_stop', index: 1 }),
  frame({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 48 } }),
  frame({ type: 'message_stop' }),
].map((s) => Buffer.from(s));

const context = (): WriteContext => ({ id: 'chatcmpl-1', model: 'claude-sonnet-4-6', created: 1, includeUsage: true, newId: (p) => `${p}1`, tools: [] });

async function convert(): Promise<number> {
  const reader = new UpstreamReader(anthropicDialect.createStreamParser());
  const converted = await convertStream(UpstreamBody.of(READS), reader, openAiChatDialect.createStreamWriter(context()), () => undefined);
  if ('error' in converted) throw new Error(converted.error.message);
  let bytes = 0;
  for await (const text of converted.chunks) bytes += text.length;
  return bytes;
}

async function passThrough(): Promise<number> {
  const watched = await watchPassthrough(UpstreamBody.of(READS), anthropicDialect.createStreamParser(), () => undefined);
  if (watched.kind === 'error') throw new Error(watched.error.message);
  let bytes = 0;
  for await (const chunk of watched.chunks) bytes += chunk.length;
  return bytes;
}

async function readOnly(): Promise<number> {
  let bytes = 0;
  for await (const chunk of UpstreamBody.of(READS)) bytes += chunk.length;
  return bytes;
}

async function perAnswerUs(run: () => Promise<number>, n: number): Promise<number> {
  for (let i = 0; i < n / 5; i++) await run();
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await run();
  return Number(process.hrtime.bigint() - started) / n / 1000;
}

const N = Number(process.env.BENCH_N ?? 20_000);
const ONLY = process.env.BENCH_ONLY;
console.log(`one answer: ${READS.length} upstream events, one per read; median of 5 runs of ${N} answers`);
for (const [name, run] of [['reads only', readOnly], ['watched pass-through', passThrough], ['converted (Anthropic → Chat)', convert]] as const) {
  if (ONLY !== undefined && !name.startsWith(ONLY)) continue;
  const runs: number[] = [];
  for (let r = 0; r < 5; r++) runs.push(await perAnswerUs(run, N));
  runs.sort((a, b) => a - b);
  console.log(`${name.padEnd(30)} ${runs[2]!.toFixed(1)} µs per answer`);
}
