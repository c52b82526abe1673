import type { RecordedRequest, Scenario, ScenarioSource } from '../fake-factory/index.js';

/**
 * Reading what the gateway sent upstream, and programming the fake from it. The agents send
 * side requests too (titles, quota probes, small haiku calls); the main conversation is the
 * one that declares the agent's shell tool, so assertions look only at those requests.
 */

export const UPSTREAM_PATH = {
  anthropic: '/api/llm/a/v1/messages',
  responses: '/api/llm/o/v1/responses',
} as const;

export type UpstreamFormat = keyof typeof UPSTREAM_PATH;

export interface ToolOutput {
  callId: string;
  text: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function records(v: unknown): Record<string, unknown>[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

/** Tool names of an Anthropic or Responses request body: both put `name` on each tool. */
export function toolNames(body: unknown): string[] {
  if (!isRecord(body)) return [];
  return records(body.tools).flatMap((t) => (typeof t.name === 'string' ? [t.name] : []));
}

/** A content that is either a string or a list of text blocks (`text` / `input_text`). */
function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  return records(content)
    .map((b) => (typeof b.text === 'string' ? b.text : ''))
    .join('');
}

/** Anthropic `tool_result` blocks of every message. */
export function anthropicToolResults(body: unknown): ToolOutput[] {
  if (!isRecord(body)) return [];
  return records(body.messages)
    .flatMap((m) => records(m.content))
    .filter((b) => b.type === 'tool_result')
    .map((b) => ({ callId: String(b.tool_use_id), text: contentText(b.content) }));
}

/** Responses `function_call_output` items of the input. */
export function responsesToolOutputs(body: unknown): ToolOutput[] {
  if (!isRecord(body)) return [];
  return records(body.input)
    .filter((i) => i.type === 'function_call_output')
    .map((i) => ({ callId: String(i.call_id), text: contentText(i.output) }));
}

export function toolOutputs(format: UpstreamFormat, body: unknown): ToolOutput[] {
  return format === 'anthropic' ? anthropicToolResults(body) : responsesToolOutputs(body);
}

/** Requests of the main conversation: sent to `format`'s path and declaring `tool`. */
export function mainRequests(requests: RecordedRequest[], format: UpstreamFormat, tool: string): RecordedRequest[] {
  return requests.filter((r) => r.path === UPSTREAM_PATH[format] && toolNames(r.body).includes(tool));
}

/**
 * A shell command whose output differs from its own text: the output only reaches the
 * upstream if the CLI really ran it, not because the command string was echoed back.
 */
export function markerCommand(tag: string): { command: string; output: string } {
  return { command: `echo e2e-$((6*7))-${tag}`, output: `e2e-42-${tag}` };
}

export const SIDE_TEXT = 'side request answered';

export interface RoundTrip {
  /** The tool the main conversation declares, and which the fake calls. */
  tool: string;
  callId: string;
  args: Record<string, unknown>;
  /** Seen anywhere in a request: the tool ran and its output came back. */
  output: string;
  finalText: string;
}

/** First a call to the CLI's shell tool; once its output is back, a final text. */
export function roundTripScenario(rt: RoundTrip): ScenarioSource {
  return (req): Scenario => {
    if (!toolNames(req.body).includes(rt.tool)) return { text: SIDE_TEXT };
    if (JSON.stringify(req.body).includes(rt.output)) return { text: rt.finalText };
    return { text: '', toolCalls: [{ id: rt.callId, name: rt.tool, arguments: rt.args }], finish: 'tool_calls' };
  };
}

/** A plain answer for the main conversation, a distinct one for side requests. */
export function textScenario(tool: string, text: string): ScenarioSource {
  return (req): Scenario => ({ text: toolNames(req.body).includes(tool) ? text : SIDE_TEXT });
}
