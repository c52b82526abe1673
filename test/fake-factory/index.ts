/**
 * A faithful fake of Factory's LLM endpoints for integration tests, benchmarks and the
 * offline demo. It encodes the providers' wire formats itself (it imports nothing from
 * src/), so a conversion bug in the gateway shows up as a mismatch here.
 *
 *   POST /api/llm/a/v1/messages               Anthropic Messages (anthropic.ts)
 *   POST /api/llm/a/v1/messages/count_tokens  Anthropic token count (anthropic.ts)
 *   POST /api/llm/o/v1/responses              OpenAI Responses (responses.ts)
 *   POST /api/llm/o/v1/chat/completions       OpenAI Chat Completions (chat.ts)
 *   POST /api/llm/g/v1/generate               Gemini generateContent, always SSE (gemini.ts)
 *   GET  /api/organization/members/chat-usage Factory's usage endpoints, per-key allowances (allowance.ts)
 *   GET  /api/billing/limits
 */
import { FakeFactoryServer } from './server.js';
import type { FakeFactory, FakeFactoryOptions } from './types.js';

export type { FakeAllowance, FakeLimitWindow, FakeUsageAnswer } from './allowance.js';
export type {
  Chunking,
  FakeFactory,
  FakeFactoryOptions,
  FakeFinish,
  FakeToolCall,
  FakeUsage,
  KeyStats,
  RecordedRequest,
  Scenario,
  ScenarioSource,
} from './types.js';

export async function startFakeFactory(options?: FakeFactoryOptions): Promise<FakeFactory> {
  return FakeFactoryServer.start(options);
}
