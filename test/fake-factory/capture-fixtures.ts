/**
 * Writes test/fixtures/<dialect>/<case>.sse: one streamed answer per upstream endpoint and
 * case, as the fake sends it (the providers' documented formats, with pings and Gemini's
 * CRLF). The golden test (test/pipeline/golden.test.ts) reads them; regenerate only when
 * the fake's formats change, then `UPDATE_GOLDEN=1` the goldens and review both diffs.
 * Run: `npm run build && node dist/test/fake-factory/capture-fixtures.js` (from the repo root).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeFactory } from './index.js';
import type { Scenario } from './types.js';

const ARGS = { city: 'Köln', days: 2, note: 'say "hi" 👋' };
const CALL = { name: 'get_weather', arguments: ARGS };

const CASES: Record<string, Scenario> = {
  text: { text: 'Hello! Grüße aus Köln 👋 — a short answer.', thinking: '', usage: { input: 21, output: 12, cached: 5 } },
  thinking: { thinking: 'The user greets me; keep it short.', text: 'Hi there!', usage: { input: 30, output: 20, reasoning: 8 } },
  'tool-call': { text: '', thinking: '', toolCalls: [CALL], finish: 'tool_calls', usage: { input: 40, output: 15 } },
  'error-mid-stream': { text: 'This answer breaks off after its first piece.', thinking: '', midStream: 'error-event', usage: { input: 10, output: 4 } },
  'text-then-tool': { text: 'Let me check the weather.', thinking: '', toolCalls: [CALL], finish: 'tool_calls', usage: { input: 40, output: 25 } },
};

const SCHEMA = { type: 'object', properties: { city: { type: 'string' } } };

/** Each upstream endpoint and the streaming request it answers (asking for reasoning in the `thinking` case). */
const UPSTREAMS: Record<string, { path: string; body: (thinking: boolean) => Record<string, unknown> }> = {
  anthropic: {
    path: '/api/llm/a/v1/messages',
    body: (thinking) => ({
      model: 'claude-sonnet-4-6',
      max_tokens: 4096,
      stream: true,
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [{ name: 'get_weather', description: 'Weather', input_schema: SCHEMA }],
      ...(thinking && { thinking: { type: 'enabled', budget_tokens: 1024 } }),
    }),
  },
  'openai-responses': {
    path: '/api/llm/o/v1/responses',
    body: (thinking) => ({
      model: 'gpt-5',
      stream: true,
      input: 'Hi',
      tools: [{ type: 'function', name: 'get_weather', description: 'Weather', parameters: SCHEMA }],
      ...(thinking && { reasoning: { effort: 'high', summary: 'auto' } }),
    }),
  },
  'openai-chat': {
    path: '/api/llm/o/v1/chat/completions',
    body: (thinking) => ({
      model: 'gpt-4o',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'Hi' }],
      tools: [{ type: 'function', function: { name: 'get_weather', description: 'Weather', parameters: SCHEMA } }],
      ...(thinking && { reasoning_effort: 'high' }),
    }),
  },
  google: {
    path: '/api/llm/g/v1/generate',
    body: (thinking) => ({
      model: 'gemini-2.5-pro',
      contents: [{ role: 'user', parts: [{ text: 'Hi' }] }],
      tools: [{ functionDeclarations: [{ name: 'get_weather', description: 'Weather', parameters: SCHEMA }] }],
      ...(thinking && { generationConfig: { thinkingConfig: { includeThoughts: true } } }),
    }),
  },
};

const fake = await startFakeFactory({ now: () => 1_700_000_000_000, pings: true });
try {
  for (const [dialect, upstream] of Object.entries(UPSTREAMS)) {
    mkdirSync(join('test/fixtures', dialect), { recursive: true });
    for (const [name, scenario] of Object.entries(CASES)) {
      fake.reset();
      fake.setScenario(scenario);
      const res = await fetch(fake.url + upstream.path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer fixture', 'anthropic-version': '2023-06-01' },
        body: JSON.stringify(upstream.body(name === 'thinking')),
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${dialect} ${name}: HTTP ${res.status} ${text}`);
      writeFileSync(join('test/fixtures', dialect, `${name}.sse`), text);
      console.log(`test/fixtures/${dialect}/${name}.sse ${text.length} bytes`);
    }
  }
} finally {
  await fake.close();
}
