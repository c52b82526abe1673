/** Public types of the fake Factory server (see index.ts). */
import type { FakeAllowance } from './allowance.js';

export interface FakeToolCall {
  /** The provider call id; generated (`toolu_…`, `call_…`) when absent. */
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

export interface FakeUsage {
  /** Prompt tokens, cached ones included (OpenAI semantics). */
  input: number;
  /** Completion tokens, reasoning ones included. */
  output: number;
  cached?: number;
  reasoning?: number;
}

export type FakeFinish = 'stop' | 'length' | 'tool_calls';

export interface Scenario {
  /** Answer text; default `Hello from ${model}.`; '' answers no text block at all. */
  text?: string;
  /** Reasoning text; default 'Let me think.' when the request asked for reasoning; '' disables it. */
  thinking?: string;
  toolCalls?: FakeToolCall[];
  finish?: FakeFinish;
  usage?: FakeUsage;
  /** Answer this HTTP status before any stream, in the provider's error shape. */
  status?: number;
  retryAfter?: number;
  errorMessage?: string;
  /** After the first text delta: the provider's in-band error event, a destroyed socket, or silence on an open connection. */
  midStream?: 'error-event' | 'cut' | 'stall';
  /** Destroy the connection before answering anything (a connection reset). */
  dropConnection?: boolean;
  /**
   * Accept the request and never answer: no status line at all ('headers'), or a 200 with
   * its stream headers and then no byte ('body'). The connection stays open until the client closes it.
   */
  hang?: 'headers' | 'body';
  delayMs?: number;
  /** Answer the text of the last user message, to show what the upstream received. */
  echo?: boolean;
}

export interface RecordedRequest {
  path: string;
  /** Lower-case header names, as node reports them. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  /** The body's text as it arrived. */
  text: string;
  /** The bearer token, if any. */
  key: string | undefined;
  /** Epoch milliseconds when the request arrived. */
  at: number;
}

export type Chunking = 'whole' | 'per-event' | 'every-byte' | { seed: number; maxSize: number };

export interface FakeFactoryOptions {
  /** 0.0.0.0 only inside a container of its own (scripts/container-test.sh): nothing else reaches it. */
  host?: '127.0.0.1' | '0.0.0.0';
  port?: number;
  chunking?: Chunking;
  /** Default '\n', except Google which defaults to '\r\n' like the real alt=sse stream. */
  lineEnding?: '\n' | '\r\n';
  pings?: boolean;
  googleMode?: 'sse' | 'json';
  chunkDelayMs?: number;
  requireAuth?: boolean;
  /** Keep only the most recent N requests (default: all); long benchmark runs set a bound. */
  maxRecorded?: number;
  /** Clock for `RecordedRequest.at` and `created` fields; defaults to the wall clock. */
  now?: () => number;
}

export interface KeyStats {
  count: number;
  /** Answered HTTP statuses; a cut stream counts as 0. */
  statuses: Record<number, number>;
}

export type ScenarioSource = Scenario | ((req: RecordedRequest) => Scenario);

export interface FakeFactory {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests to the usage endpoints (chat-usage, billing limits), apart from `requests`. */
  usageRequests: RecordedRequest[];
  /** Sets a key's allowance (both usage endpoints answer from it; a spent window answers 402). */
  setAllowance(key: string, allowance: FakeAllowance | undefined): void;
  /** The key's allowance now: windows reset and answered tokens counted. */
  allowanceOf(key: string): FakeAllowance | undefined;
  setScenario(s: ScenarioSource): void;
  setKeyBehaviour(key: string, b: Partial<Scenario> | undefined): void;
  keyLog(): Map<string, KeyStats>;
  reset(): void;
  close(): Promise<void>;
}
