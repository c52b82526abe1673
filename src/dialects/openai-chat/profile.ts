/** What the pipeline, its policies and the routes need to know about OpenAI Chat Completions. */
import { addStainlessHeaders } from '../../dialect-kit/factory-call.js';
import type { DialectProfile } from '../profile.js';
import { CHAT_EFFORT_OF_LEVEL } from './maps.js';
import { askStreamUsage, finalize, forceReasoning, injectSystemPrompt, isUsageOnlyChunk } from './policies.js';

export const openAiChatProfile: DialectProfile = {
  routes: [{ path: '/v1/chat/completions' }],
  baseUrlAdvice: 'OpenAI SDKs and compatible clients take the base URL with /v1 (http://HOST/v1)',
  responseIdPrefix: 'chatcmpl-',
  errorShape: 'openai',
  toolKinds: ['function'],
  // Not OpenAI's own, but proxies in front of Claude accept it on text parts (wire-request.ts).
  cacheControl: { fromClient: true, toUpstream: false },
  opensWithInputTokens: false,
  upstream: {
    modelType: 'common',
    alwaysStreams: false,
    reasoning: { levels: CHAT_EFFORT_OF_LEVEL, force: forceReasoning },
    injectSystemPrompt,
    finalize,
    streamUsage: { ask: askStreamUsage, isUsageOnly: isUsageOnlyChunk },
    factory: {
      defaultProvider: 'fireworks',
      addHeaders(headers, call) {
        headers.accept = 'application/json';
        addStainlessHeaders(headers, call, '5.23.2');
      },
    },
  },
};
