/** What the pipeline, its policies and the routes need to know about echo. */
import type { DialectProfile } from '../../../src/dialects/profile.js';
import { finalize, forceReasoning, injectSystemPrompt } from './policies.js';

export const echoProfile: DialectProfile = {
  routes: [{ path: '/v1/echo' }],
  baseUrlAdvice: 'echo clients take the base URL with /v1 (http://HOST/v1)',
  responseIdPrefix: 'echo_',
  errorShape: 'other',
  toolKinds: [],
  cacheControl: { fromClient: false, toUpstream: false },
  opensWithInputTokens: false,
  upstream: {
    alwaysStreams: false,
    reasoning: { levels: { low: 'low', medium: 'medium', high: 'high', xhigh: 'xhigh' }, force: forceReasoning },
    injectSystemPrompt,
    finalize,
    factory: { defaultProvider: 'echo', addHeaders: () => undefined },
  },
};
