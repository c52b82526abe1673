import type { Family } from './errors.js';
import type { Json } from './json.js';
import type { Reply } from './reply.js';
import type { MidStream } from './sse.js';
import type { FakeFinish, FakeToolCall, Scenario } from './types.js';

/** A scenario with every default filled in, for one request. */
export interface Plan {
  model: string;
  text: string;
  /** '' means no reasoning output. */
  thinking: string;
  toolCalls: FakeToolCall[];
  finish: FakeFinish;
  usage: { input: number; output: number; cached: number; reasoning: number };
  midStream: MidStream;
  /** Message of the in-band error event; each dialect has its provider's default. */
  errorMessage: string | undefined;
}

export interface Ids {
  /** `prefix` + a per-server counter: deterministic, unique within a run. */
  next(prefix: string): string;
  /** A bare counter value, for signatures such as `sig-<n>`. */
  serial(): number;
}

export interface AnswerContext {
  plan: Plan;
  body: Json;
  ids: Ids;
  nowMs: number;
  pings: boolean;
  eol: string;
  requestId: string;
  googleMode: 'sse' | 'json';
}

/** One of Factory's endpoints, in the fake: how it validates, streams and answers. */
export interface Endpoint {
  family: Family;
  /** Throws Invalid for what the real provider refuses with 400. */
  validate(body: Json): void;
  lastUserText(body: Json): string;
  wantsThinking(body: Json): boolean;
  isStream(body: Json, googleMode: 'sse' | 'json'): boolean;
  answer(ctx: AnswerContext): Reply;
}

export function resolvePlan(endpoint: Endpoint, body: Json, s: Scenario, rawLength: number): Plan {
  const model = typeof body.model === 'string' ? body.model : 'unknown-model';
  const toolCalls = s.toolCalls ?? [];
  const defaultThinking = endpoint.wantsThinking(body) ? 'Let me think.' : '';
  const text = s.echo === true ? endpoint.lastUserText(body) : (s.text ?? `Hello from ${model}.`);
  return {
    model,
    text,
    thinking: s.thinking ?? defaultThinking,
    toolCalls,
    finish: s.finish ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    usage: {
      input: s.usage?.input ?? Math.max(1, Math.round(rawLength / 4)),
      output: s.usage?.output ?? 8,
      cached: s.usage?.cached ?? 0,
      reasoning: s.usage?.reasoning ?? 0,
    },
    midStream: s.midStream,
    errorMessage: s.errorMessage,
  };
}

/** Joins the text parts of one message, skipping non-text parts. */
export function joinTexts(parts: unknown[], pick: (part: unknown) => string | undefined): string {
  return parts
    .map(pick)
    .filter((t): t is string => t !== undefined)
    .join('\n');
}
