import type { ModelType } from '../config/schema.js';
import type { IrEffort } from './ir.js';

import type { SseEvent, WireObject } from './dialect.js';
import type { FactoryCall } from '../dialect-kit/factory-call.js';

/** A reasoning level the gateway can force on a request (config `reasoning`, minus `auto`). */
export type ForcedReasoning = Exclude<IrEffort, 'none' | 'minimal'> | 'off';

/** What a route's path says about the request, beyond its body. */
export interface RouteAction {
  model?: string;
  stream?: boolean;
  /** The answer is one JSON array of response chunks (Gemini's streamGenerateContent without alt=sse). */
  jsonArray?: boolean;
}

/** One HTTP route (a POST under the API scope) whose requests and errors are in the dialect. */
export interface DialectRoute {
  /** As Fastify registers it; a trailing `*` is read by `action`. */
  readonly path: string;
  /** For a wildcard path: what the rest of it (and the query) say; throws `not_found` when it names nothing. */
  readonly action?: (rest: string, query: Readonly<Record<string, string | undefined>>) => RouteAction;
}

/**
 * The facts about a dialect that the pipeline, its policies and the routes read, so that
 * none of them keeps a table per dialect. Each dialect folder's `profile.ts` fills one in.
 */
export interface DialectProfile {
  /** The routes that speak this dialect (empty for a dialect that is only an upstream). */
  readonly routes: readonly DialectRoute[];
  /** What this dialect's SDKs take as the base URL (HOST stands for the gateway), for the hint of a 404. */
  readonly baseUrlAdvice: string;
  /** Prefix of the response ids the gateway makes up for this dialect's clients. */
  readonly responseIdPrefix: string;
  /** The error body clients of this dialect parse (see each dialect's errors.ts). */
  readonly errorShape: 'openai' | 'anthropic' | 'google' | 'other';
  /** Tool kinds a request can declare: `custom` is a freeform (raw text) tool. */
  readonly toolKinds: ReadonlyArray<'function' | 'custom'>;
  /**
   * Prompt-cache hints (`cache_control` on content blocks, dialect-kit/cache-control.ts):
   * whether a client's are read into the IR, and whether the IR's reach an upstream request.
   */
  readonly cacheControl: { readonly fromClient: boolean; readonly toUpstream: boolean };
  /**
   * The client stream opens with the prompt's token count (Anthropic's message_start), so
   * the gateway gives the writer its own estimate in case the upstream has not counted yet.
   */
  readonly opensWithInputTokens: boolean;
  /** Upstream side: facts about a body in this dialect on its way to Factory. */
  readonly upstream: UpstreamProfile;
}

export interface UpstreamProfile {
  /** The config.json model `type` whose models are called in this dialect (none: a client-only dialect). */
  readonly modelType?: ModelType;
  /** Factory's endpoint for this dialect always answers with a stream, whatever was asked. */
  readonly alwaysStreams: boolean;
  /** How a reasoning level the gateway forces is written in this dialect's body. */
  readonly reasoning: {
    /** The level as the dialect's own value (effort name, thinking level or budget). */
    readonly levels: Readonly<Record<Exclude<ForcedReasoning, 'off'>, string | number>>;
    /** The body with the level forced (or reasoning removed for `off`), for this model. */
    force(body: WireObject, level: ForcedReasoning): WireObject;
  };
  /** The configured system prompt put first, keeping the client's own instructions. */
  injectSystemPrompt(body: WireObject, prompt: string): WireObject;
  /** The fields every upstream body needs or must not have, for this upstream model. */
  finalize(body: WireObject, modelId: string): WireObject;
  /** Fast mode (`fast: true` models) as a body field, when the dialect has one. */
  fastMode?(body: WireObject): WireObject;
  /**
   * A passed-through stream that reports usage only when asked: `ask` makes the body ask
   * (so the key's tokens are counted) and says whether the client did not, in which case
   * the events `isUsageOnly` picks are kept from it.
   */
  streamUsage?: {
    ask(body: WireObject): { body: WireObject; hideUsageChunk: boolean };
    isUsageOnly(ev: SseEvent): boolean;
  };
  /** Last of the policies: what the body must change for this upstream model to accept it. */
  fitToModel?(body: WireObject): WireObject;
  /** How a call in this dialect is announced to Factory, beyond the headers every call has. */
  readonly factory: FactoryProfile;
}

export interface FactoryProfile {
  /** The provider router (`x-api-provider`) Factory uses for a model that names none. */
  readonly defaultProvider: string;
  /** Adds the headers the official CLI sends with a call in this dialect. */
  addHeaders(headers: Record<string, string>, call: FactoryCall): void;
}
