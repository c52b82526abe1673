/** What the pipeline, its policies and the routes need to know about OpenAI Responses. */
import { addStainlessHeaders } from '../../dialect-kit/factory-call.js';
import type { DialectProfile } from '../profile.js';
import { RESPONSES_EFFORT_OF_LEVEL } from './maps.js';
import { fastMode, finalize, forceReasoning, injectSystemPrompt } from './policies.js';

export const openAiResponsesProfile: DialectProfile = {
  routes: [{ path: '/v1/responses' }],
  baseUrlAdvice: 'OpenAI SDKs and Codex take the base URL with /v1 (http://HOST/v1)',
  responseIdPrefix: 'resp_',
  errorShape: 'openai',
  // `custom` tools (Codex's apply_patch) and namespaces of them (maps.ts flatToolName).
  toolKinds: ['function', 'custom'],
  cacheControl: { fromClient: false, toUpstream: false },
  opensWithInputTokens: false,
  upstream: {
    modelType: 'openai',
    alwaysStreams: false,
    reasoning: { levels: RESPONSES_EFFORT_OF_LEVEL, force: forceReasoning },
    injectSystemPrompt,
    finalize,
    fastMode,
    factory: { defaultProvider: 'openai', addHeaders: (headers, call) => addStainlessHeaders(headers, call, '5.23.2') },
  },
};
