import type { ModelConfig, ReasoningLevel } from '../config/schema.js';
import type { DialectId } from '../dialects/ir.js';

const INTERLEAVED_THINKING = 'interleaved-thinking-2025-05-14';
const FAST_MODE = 'fast-mode-2026-02-01';

/** Which provider router Factory should use when a model names none. */
const DEFAULT_PROVIDER: Record<DialectId, string> = {
  anthropic: 'anthropic',
  'openai-responses': 'openai',
  google: 'google',
  'openai-chat': 'fireworks',
};

export interface FactoryHeaderInput {
  dialect: DialectId;
  model: ModelConfig;
  userAgent: string;
  /** The CLI version the user agent names, sent as `x-client-version` as the CLI does. */
  clientVersion: string;
  authorization: string;
  stream: boolean;
  sessionId: string;
  messageId: string;
  /** The client's headers, lower-cased, for the few values passed on (anthropic-version, anthropic-beta, x-stainless-*). */
  client: (name: string) => string | undefined;
}

/** The x-stainless-* set the official CLI's SDKs send, with its defaults; the client's own values win. */
const STAINLESS_DEFAULTS: ReadonlyArray<readonly [string, string]> = [
  ['x-stainless-arch', 'x64'],
  ['x-stainless-lang', 'js'],
  ['x-stainless-os', 'MacOS'],
  ['x-stainless-runtime', 'node'],
  ['x-stainless-retry-count', '0'],
  ['x-stainless-runtime-version', 'v24.3.0'],
];

function addStainless(headers: Record<string, string>, input: FactoryHeaderInput, packageVersion: string): void {
  for (const [name, fallback] of STAINLESS_DEFAULTS) headers[name] = input.client(name) ?? fallback;
  headers['x-stainless-package-version'] = input.client('x-stainless-package-version') ?? packageVersion;
}

/** Whether a level turns Anthropic's interleaved-thinking beta on (true), off (false) or leaves the client's choice (undefined). */
function interleavedThinkingBeta(level: ReasoningLevel): boolean | undefined {
  if (level === 'auto') return undefined;
  return level !== 'off';
}

/** anthropic-beta: the client's list, with interleaved thinking and fast mode set per model. */
export function anthropicBeta(client: string | undefined, model: ModelConfig): string | undefined {
  const betas = (client ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const set = new Set(betas);
  const interleaved = interleavedThinkingBeta(model.reasoning);
  if (interleaved === true) set.add(INTERLEAVED_THINKING);
  if (interleaved === false) set.delete(INTERLEAVED_THINKING);
  if (model.fast) set.add(FAST_MODE);
  return set.size === 0 ? undefined : [...set].join(', ');
}

/** The headers Factory's proxy expects for one upstream call, per upstream dialect (built in place: this runs per request). */
export function factoryHeaders(input: FactoryHeaderInput): Record<string, string> {
  const headers: Record<string, string> = {
    authorization: input.authorization,
    'content-type': 'application/json',
    'user-agent': input.userAgent,
    'x-api-provider': input.model.provider ?? DEFAULT_PROVIDER[input.dialect],
    'x-factory-client': 'cli',
    'x-client-version': input.clientVersion,
    'x-session-id': input.sessionId,
    'x-assistant-message-id': input.messageId,
  };
  switch (input.dialect) {
    case 'anthropic': {
      headers.accept = 'application/json';
      headers['x-api-key'] = 'placeholder';
      headers['anthropic-version'] = input.client('anthropic-version') ?? '2023-06-01';
      headers['x-stainless-timeout'] = input.client('x-stainless-timeout') ?? '600';
      addStainless(headers, input, '0.57.0');
      const beta = anthropicBeta(input.client('anthropic-beta'), input.model);
      if (beta) headers['anthropic-beta'] = beta;
      if (input.stream) headers['x-stainless-helper-method'] = 'stream';
      return headers;
    }
    case 'openai-responses':
      addStainless(headers, input, '5.23.2');
      return headers;
    case 'openai-chat':
      headers.accept = 'application/json';
      addStainless(headers, input, '5.23.2');
      return headers;
    case 'google':
      headers.accept = '*/*';
      headers['x-factory-client'] = input.client('x-factory-client') ?? 'cli';
      return headers;
  }
}
