/** What the pipeline, its policies and the routes need to know about Anthropic Messages. */
import type { DialectProfile } from '../profile.js';
import { budgetForEffort } from './maps.js';
import { finalize, fitToModel, forceReasoning, injectSystemPrompt } from './policies.js';

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
  },
};
