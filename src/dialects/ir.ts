/**
 * The intermediate representation every dialect converts to and from.
 * It belongs to no dialect: names here are the gateway's own, never a wire `type`.
 * Tool arguments stay JSON text until a dialect needs an object.
 */

export type DialectId = 'openai-chat' | 'openai-responses' | 'anthropic' | 'google';

// ---------------------------------------------------------------- request

export interface IrCacheControl {
  type: 'ephemeral';
  ttl?: string;
}

export type IrImageSource =
  | { type: 'url'; url: string }
  | { type: 'base64'; mediaType: string; data: string };

export interface IrTextPart {
  kind: 'text';
  text: string;
  cache?: IrCacheControl;
}

export interface IrImagePart {
  kind: 'image';
  source: IrImageSource;
  /** OpenAI `detail` hint; other dialects ignore it. */
  detail?: 'auto' | 'low' | 'high';
}

export interface IrFilePart {
  kind: 'file';
  /** A document (PDF, text) as base64 or URL, with its media type and optional name. */
  source: IrImageSource;
  filename?: string;
}

export interface IrToolCallPart {
  kind: 'tool_call';
  id: string;
  name: string;
  /** JSON text of the arguments object, exactly as produced by the model. */
  arguments: string;
  /** Gemini `thoughtSignature` attached to a function call; opaque elsewhere. */
  signature?: string;
}

export interface IrToolResultPart {
  kind: 'tool_result';
  callId: string;
  /** The tool's name when the dialect carries it (Gemini needs it; it is looked up from the call otherwise). */
  name?: string;
  content: Array<IrTextPart | IrImagePart>;
  isError?: boolean;
}

export interface IrThinkingPart {
  kind: 'thinking';
  text: string;
  /** Opaque provider proof (Anthropic signature, OpenAI encrypted_content, Gemini thoughtSignature). */
  signature?: string;
  /** Anthropic redacted_thinking `data`; when set, `text` is empty. */
  redacted?: string;
  /** Responses reasoning item id, kept so a Responses upstream can recognise its own items. */
  itemId?: string;
}

export type IrPart =
  | IrTextPart
  | IrImagePart
  | IrFilePart
  | IrToolCallPart
  | IrToolResultPart
  | IrThinkingPart;

export interface IrMessage {
  /** Tool results travel in `user` messages; OpenAI Chat splits them into `tool` messages on the wire. */
  role: 'user' | 'assistant';
  parts: IrPart[];
}

export interface IrTool {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object. */
  parameters: Record<string, unknown>;
  strict?: boolean;
  cache?: IrCacheControl;
  /**
   * A Responses `custom` (freeform text) tool such as Codex's apply_patch. Dialects without
   * freeform tools see a function taking one string parameter `input`.
   */
  custom?: { format?: Record<string, unknown> };
  /**
   * A tool a Responses client grouped in a `namespace` (Codex's MCP servers and dynamic
   * tools): `name` is then the flat `<namespace>__<tool>` other dialects see, and this is
   * what the Responses writer splits it back into.
   */
  namespace?: { name: string; tool: string };
}

export type IrToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string };

export type IrEffort = 'none' | 'minimal' | 'low' | 'medium' | 'high' | 'xhigh';

export interface IrReasoning {
  /** false: the client asked for no reasoning. */
  enabled: boolean;
  effort?: IrEffort;
  /** Explicit token budget (Anthropic `budget_tokens`, Gemini `thinkingBudget`). */
  budgetTokens?: number;
  /** Responses `reasoning.summary`. */
  summary?: 'auto' | 'concise' | 'detailed';
}

export type IrResponseFormat =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; schema: Record<string, unknown>; strict?: boolean; description?: string };

export interface IrSystemBlock {
  text: string;
  cache?: IrCacheControl;
}

export interface IrRequest {
  model: string;
  /** Every system / developer instruction, in the order the client gave them. */
  system: IrSystemBlock[];
  messages: IrMessage[];
  tools: IrTool[];
  toolChoice?: IrToolChoice;
  parallelToolCalls?: boolean;
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  presencePenalty?: number;
  frequencyPenalty?: number;
  seed?: number;
  reasoning?: IrReasoning;
  responseFormat?: IrResponseFormat;
  stream: boolean;
  /** OpenAI Chat `stream_options.include_usage`. */
  includeUsage?: boolean;
  /** End-user id (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  /** Extras only some dialects have, carried typed rather than as loose keys. */
  extensions: IrRequestExtensions;
}

export interface IrRequestExtensions {
  /** Responses `prompt_cache_key`; also a session-affinity hint. */
  promptCacheKey?: string;
  /** OpenAI `service_tier`. */
  serviceTier?: string;
  /** Responses `previous_response_id` (only meaningful on a Responses upstream). */
  previousResponseId?: string;
  /** Responses `include` (e.g. `reasoning.encrypted_content`). */
  include?: string[];
  /** Responses / Chat `store`. */
  store?: boolean;
  /** Free-form request metadata (OpenAI `metadata`). */
  metadata?: Record<string, string>;
}

// ---------------------------------------------------------------- response events

export interface IrUsage {
  /** All prompt tokens, cached ones included (OpenAI semantics). */
  inputTokens?: number;
  outputTokens?: number;
  /** Prompt tokens read from cache (part of inputTokens). */
  cachedInputTokens?: number;
  /** Prompt tokens written to cache (part of inputTokens; Anthropic only). */
  cacheCreationInputTokens?: number;
  /** Output tokens spent on reasoning (part of outputTokens). */
  reasoningTokens?: number;
}

export type IrFinishReason =
  | 'stop'
  | 'length'
  | 'tool_calls'
  | 'stop_sequence'
  | 'content_filter'
  | 'refusal'
  | 'pause'
  | 'error';

export interface IrErrorInfo {
  code: import('../errors.js').ErrorCode;
  message: string;
  status: number;
}

/**
 * One step of a model's answer. Block boundaries are implied: a text delta after a
 * thinking delta starts a new block; `thinking_signature` ends the thinking block it
 * signs; tool calls are bracketed by start and end.
 */
export type IrEvent =
  | { kind: 'start'; id?: string; model?: string }
  | { kind: 'text_delta'; text: string }
  | { kind: 'thinking_delta'; text: string; itemId?: string }
  | { kind: 'thinking_signature'; signature: string }
  | { kind: 'redacted_thinking'; data: string }
  | { kind: 'tool_call_start'; id: string; name: string; signature?: string }
  | { kind: 'tool_call_delta'; id: string; argumentsDelta: string }
  | { kind: 'tool_call_end'; id: string }
  /** A cumulative snapshot: present fields replace earlier values. */
  | { kind: 'usage'; usage: IrUsage }
  | { kind: 'finish'; reason: IrFinishReason; stopSequence?: string }
  | { kind: 'error'; error: IrErrorInfo };

export type IrEventKind = IrEvent['kind'];

/** A whole answer: the stream folded up by `collect`. */
export interface IrResponse {
  id?: string;
  model?: string;
  content: Array<IrTextPart | IrThinkingPart | IrToolCallPart>;
  finishReason: IrFinishReason;
  stopSequence?: string;
  usage: IrUsage;
}

/** What a writer needs besides the events: ids and names as the client should see them. */
export interface WriteContext {
  /** Response id to show the client (already prefixed for the dialect when needed). */
  id: string;
  /** The model name the client asked for. */
  model: string;
  /** Unix seconds at the start of the answer. */
  created: number;
  /** Whether the client asked for usage in the stream (OpenAI Chat `stream_options`). */
  includeUsage: boolean;
  /** Fresh ids for items the writer creates (tool call ids, item ids). */
  newId: (prefix: string) => string;
  /** The request's tools, so a writer can tell a freeform (custom) tool's call from a function call. */
  tools: IrTool[];
  /**
   * The gateway's local estimate of the prompt's tokens, for a writer that must name input
   * tokens before the upstream has counted them (Anthropic's message_start).
   */
  inputTokensEstimate?: number;
}

export { assertNever } from '../runtime/guards.js';
