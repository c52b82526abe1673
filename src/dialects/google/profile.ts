/** What the pipeline, its policies and the routes need to know about Gemini generateContent. */
import { GatewayError } from '../../errors.js';
import type { DialectProfile, RouteAction } from '../profile.js';
import { LEVEL_FROM_EFFORT } from './maps.js';
import { finalize, forceReasoning, injectSystemPrompt } from './policies.js';

/**
 * Gemini SDK paths: /v1beta/models/{model}:generateContent | :streamGenerateContent.
 * streamGenerateContent streams SSE only with `alt=sse`; without it Gemini answers one
 * JSON array of response chunks, which is the whole answer wrapped in an array.
 */
export function parseGeminiAction(path: string, alt: string | undefined): Required<RouteAction> {
  // `path` is the router's wildcard parameter, already percent-decoded once: decoding it again
  // would read `%25E0` as the malformed escape `%E0` (and throw), or `%252F` as a slash.
  const m = /^(.+):(generateContent|streamGenerateContent)$/.exec(path);
  if (!m) throw new GatewayError('not_found', `Unknown Gemini method in ${path}`);
  const streaming = m[2] === 'streamGenerateContent';
  return { model: m[1]!.replace(/^models\//, ''), stream: streaming && alt === 'sse', jsonArray: streaming && alt !== 'sse' };
}

export const googleProfile: DialectProfile = {
  routes: [
    { path: '/v1/generate' },
    { path: '/v1beta/models/*', action: (rest, query) => parseGeminiAction(rest, query.alt) },
    { path: '/v1/models/*', action: (rest, query) => parseGeminiAction(rest, query.alt) },
  ],
  baseUrlAdvice: 'the Gemini SDK takes the base URL without a version (http://HOST)',
  responseIdPrefix: 'resp_',
  errorShape: 'google',
  toolKinds: ['function'],
  cacheControl: { fromClient: false, toUpstream: false },
  opensWithInputTokens: false,
  upstream: {
    modelType: 'google',
    // Factory's /api/llm/g/v1/generate streams every answer.
    alwaysStreams: true,
    reasoning: { levels: LEVEL_FROM_EFFORT, force: forceReasoning },
    injectSystemPrompt,
    finalize,
    factory: {
      defaultProvider: 'google',
      addHeaders(headers, call) {
        headers.accept = '*/*';
        headers['x-factory-client'] = call.client('x-factory-client') ?? 'cli';
      },
    },
  },
};
