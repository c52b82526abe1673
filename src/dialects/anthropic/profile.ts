/** What the pipeline, its policies and the routes need to know about Anthropic Messages. */
import type { ModelConfig, ReasoningLevel } from '../../config/schema.js';
import { addStainlessHeaders, type FactoryCall } from '../../dialect-kit/factory-call.js';
import type { DialectProfile } from '../profile.js';
import { budgetForEffort } from './maps.js';
import { finalize, fitToModel, forceReasoning, injectSystemPrompt } from './policies.js';

const INTERLEAVED_THINKING = 'interleaved-thinking-2025-05-14';
const FAST_MODE = 'fast-mode-2026-02-01';

/** Whether a level turns the interleaved-thinking beta on (true), off (false) or leaves the client's choice (undefined). */
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

/** The headers of the Anthropic SDK the official CLI calls Factory's Messages endpoint with. */
function addFactoryHeaders(headers: Record<string, string>, call: FactoryCall): void {
  headers.accept = 'application/json';
  headers['x-api-key'] = 'placeholder';
  headers['anthropic-version'] = call.client('anthropic-version') ?? '2023-06-01';
  headers['x-stainless-timeout'] = call.client('x-stainless-timeout') ?? '600';
  addStainlessHeaders(headers, call, '0.57.0');
  const beta = anthropicBeta(call.client('anthropic-beta'), call.model);
  if (beta) headers['anthropic-beta'] = beta;
  if (call.stream) headers['x-stainless-helper-method'] = 'stream';
}

export const anthropicProfile: DialectProfile = {
  routes: [{ path: '/v1/messages' }],
  baseUrlAdvice: 'the Anthropic SDK and Claude Code take the base URL without /v1 (http://HOST)',
  responseIdPrefix: 'msg_',
  errorShape: 'anthropic',
  toolKinds: ['function'],
  cacheControl: { fromClient: true, toUpstream: true },
  opensWithInputTokens: true,
  upstream: {
    modelType: 'anthropic',
    alwaysStreams: false,
    reasoning: {
      // Claude up to 4.5 takes a budget; later models take the level as an effort (maps.ts adaptiveEffort).
      levels: { low: budgetForEffort('low'), medium: budgetForEffort('medium'), high: budgetForEffort('high'), xhigh: budgetForEffort('xhigh') },
      force: forceReasoning,
    },
    injectSystemPrompt,
    finalize,
    fitToModel,
    factory: { defaultProvider: 'anthropic', addHeaders: addFactoryHeaders },
  },
};
