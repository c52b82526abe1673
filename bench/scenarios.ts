/**
 * What each scenario sends, through the gateway and straight to the fake. "Direct" is
 * the request the upstream would see for the same conversation, in the upstream's own
 * dialect, so the difference between the two is the gateway's cost.
 */
import type { Scenario } from '../test/fake-factory/index.js';

export type ScenarioId =
  | 'messages-json'
  | 'messages-stream'
  | 'chat-anthropic-json'
  | 'chat-anthropic-stream'
  | 'responses-stream'
  | 'chat-responses-stream';

export interface Target {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export interface ScenarioSpec {
  id: ScenarioId;
  title: string;
  stream: boolean;
  converted: boolean;
  /** Ratio target at c=50 from the brief; undefined where it sets none. */
  ratioTarget: number | undefined;
  gateway: Target;
  direct: Target;
  /** A complete answer contains this; an in-band error would not. */
  terminal: string;
  /** The same for the direct answer, in the upstream's dialect. */
  directTerminal: string;
}

const CLAUDE = 'claude-sonnet-4-6';
const GPT = 'gpt-5.2';
const DIRECT_KEY = 'bench-direct-key';

/**
 * The fake cuts answer and reasoning text into 2–4 deltas whatever their length
 * (test/fake-factory/pieces.ts textPieces), so ~20 events per answer come from a
 * thinking block plus a text block (plus pings on Anthropic): 18 SSE events on the
 * Anthropic upstream, 23 on the Responses upstream (21 events and 2 keep-alive comments).
 */
export const FAKE_SCENARIO: Scenario = {
  thinking: 'The user greets me; a short friendly answer in twenty pieces will do.',
  text: 'Hello! Here is a benchmark answer of twenty small pieces, streamed one after the other.',
  usage: { input: 640, output: 48 },
};

function system(kb: number): string {
  const line = 'You are a careful coding assistant. Answer briefly and precisely. ';
  return line.repeat(Math.max(1, Math.ceil((kb * 1024) / line.length)));
}

const USER = 'Say hello to the benchmark.';

/** One earlier turn of an agent's conversation: a file shown and talked about (quotes, escapes, newlines as code has). */
const CODE_LINE = 'export const read = (path: string) => fs.readFileSync(path, "utf8").split("\\n"); // see "docs"\n';
const TURN_BYTES = 4 * 1024;

/**
 * Earlier turns worth about `kb` KB, as an agent resends its whole history on every call:
 * what a pass-through leaves as it is (the system prompt, which the gateway's own prompt
 * is added to, is padded by `bodyKb` instead).
 */
function history(kb: number): Array<{ role: 'user' | 'assistant'; content: string }> {
  const turns: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  const file = CODE_LINE.repeat(Math.ceil(TURN_BYTES / CODE_LINE.length));
  for (let bytes = 0; bytes < kb * 1024; bytes += 2 * file.length) {
    turns.push({ role: 'user', content: `Read src/fs.ts:\n${file}` }, { role: 'assistant', content: `It reads a file:\n${file}` });
  }
  return turns;
}

const JSON_HEADERS = { 'content-type': 'application/json' };
const ANTHROPIC_HEADERS = { ...JSON_HEADERS, 'anthropic-version': '2023-06-01' };
const DIRECT_HEADERS = { authorization: `Bearer ${DIRECT_KEY}` };

type Turns = ReturnType<typeof history>;

function anthropicBody(sys: string, past: Turns, stream: boolean): string {
  return JSON.stringify({ model: CLAUDE, max_tokens: 1024, system: sys, messages: [...past, { role: 'user', content: USER }], stream });
}

function chatBody(model: string, sys: string, past: Turns, stream: boolean): string {
  const messages = [{ role: 'system', content: sys }, ...past, { role: 'user', content: USER }];
  const streamOptions = stream ? { stream_options: { include_usage: true } } : {};
  return JSON.stringify({ model, max_tokens: 1024, messages, stream, ...streamOptions });
}

function responsesBody(sys: string, past: Turns): string {
  return JSON.stringify({ model: GPT, instructions: sys, input: [...past, { role: 'user', content: USER }], stream: true, store: false });
}

const A_PATH = '/api/llm/a/v1/messages';
const O_PATH = '/api/llm/o/v1/responses';

/** Every scenario; `bodyKb` pads the system prompt, `historyKb` adds earlier turns (agents send tens of KB). */
export function scenarios(bodyKb: number, historyKb = 0): ScenarioSpec[] {
  const sys = system(bodyKb);
  const past = history(historyKb);
  const anthropicDirect = (stream: boolean): Target => ({
    path: A_PATH,
    headers: { ...ANTHROPIC_HEADERS, ...DIRECT_HEADERS },
    body: anthropicBody(sys, past, stream),
  });
  const responsesDirect: Target = { path: O_PATH, headers: { ...JSON_HEADERS, ...DIRECT_HEADERS }, body: responsesBody(sys, past) };
  return [
    {
      id: 'messages-json',
      title: '/v1/messages pass-through, JSON',
      stream: false,
      converted: false,
      ratioTarget: 0.5,
      gateway: { path: '/v1/messages', headers: ANTHROPIC_HEADERS, body: anthropicBody(sys, past, false) },
      direct: anthropicDirect(false),
      terminal: '"stop_reason":"end_turn"',
      directTerminal: '"stop_reason":"end_turn"',
    },
    {
      id: 'messages-stream',
      title: '/v1/messages pass-through, stream',
      stream: true,
      converted: false,
      ratioTarget: undefined,
      gateway: { path: '/v1/messages', headers: ANTHROPIC_HEADERS, body: anthropicBody(sys, past, true) },
      direct: anthropicDirect(true),
      terminal: 'event: message_stop',
      directTerminal: 'event: message_stop',
    },
    {
      id: 'chat-anthropic-json',
      title: '/v1/chat/completions → Anthropic, JSON',
      stream: false,
      converted: true,
      ratioTarget: undefined,
      gateway: { path: '/v1/chat/completions', headers: JSON_HEADERS, body: chatBody(CLAUDE, sys, past, false) },
      direct: anthropicDirect(false),
      terminal: '"finish_reason":"stop"',
      directTerminal: '"stop_reason":"end_turn"',
    },
    {
      id: 'chat-anthropic-stream',
      title: '/v1/chat/completions → Anthropic, stream',
      stream: true,
      converted: true,
      ratioTarget: 0.4,
      gateway: { path: '/v1/chat/completions', headers: JSON_HEADERS, body: chatBody(CLAUDE, sys, past, true) },
      direct: anthropicDirect(true),
      terminal: 'data: [DONE]',
      directTerminal: 'event: message_stop',
    },
    {
      id: 'responses-stream',
      title: '/v1/responses pass-through, stream',
      stream: true,
      converted: false,
      ratioTarget: undefined,
      gateway: { path: '/v1/responses', headers: JSON_HEADERS, body: responsesBody(sys, past) },
      direct: responsesDirect,
      terminal: 'event: response.completed',
      directTerminal: 'event: response.completed',
    },
    {
      id: 'chat-responses-stream',
      title: '/v1/chat/completions → Responses, stream',
      stream: true,
      converted: true,
      ratioTarget: 0.4,
      gateway: { path: '/v1/chat/completions', headers: JSON_HEADERS, body: chatBody(GPT, sys, past, true) },
      direct: responsesDirect,
      terminal: 'data: [DONE]',
      directTerminal: 'event: response.completed',
    },
  ];
}

/** Markers of an in-band failure in any of the dialects' streams or bodies. */
export const FAILURE_MARKERS = ['event: error', 'response.failed', '"type":"error"', '"error":{'];
