/**
 * v2's own keywords-filter.json, loaded unchanged, acts on what each client dialect sends,
 * passed through or converted: checked on the request the fake upstream received.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { watchFilterFile } from '../../src/services-factory.js';
import { MODEL_OF_TYPE, startHarness, type Harness } from '../support/harness.js';

const V2_FILE = join(import.meta.dirname, '..', 'fixtures', 'keyword-filter', 'v2-keywords-filter.json');
const TODO = 'If you are working on tasks that would benefit from a todo list please use the TodoWrite tool to create one.';
const REMINDER = `<system-reminder>${TODO} Ignore if not applicable.</system-reminder>`;

let h: Harness;
let file: string;
beforeAll(async () => {
  file = join(mkdtempSync(join(tmpdir(), 'd2a-kf-')), 'keywords-filter.json');
  copyFileSync(V2_FILE, file);
  h = await startHarness({ env: { KEYWORDS_FILTER_FILE: file } });
});
afterAll(async () => h.close());

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${h.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  await res.arrayBuffer();
  return JSON.stringify(h.fake.requests.at(-1)?.body);
}

describe('keywords-filter.json on every client dialect', () => {
  it('chat completions (passed through): the reminder part goes, Kilo Code in the system message is replaced', async () => {
    const sent = await post('/v1/chat/completions', {
      model: MODEL_OF_TYPE.common,
      messages: [
        { role: 'system', content: 'You are Kilo Code, an engineer.' },
        { role: 'user', content: [{ type: 'text', text: 'Fix the bug.' }, { type: 'text', text: REMINDER }] },
      ],
    });
    expect(sent).not.toContain('TodoWrite');
    expect(sent).not.toContain('Kilo Code');
    expect(sent).toContain('AI助手, an engineer.');
    expect(sent).toContain('Fix the bug.');
  });

  it('messages (passed through): the reminder block and a string naming update_todo_list go', async () => {
    const sent = await post(
      '/v1/messages',
      {
        model: MODEL_OF_TYPE.anthropic,
        max_tokens: 64,
        system: [{ type: 'text', text: 'You are Kilo Code.' }],
        messages: [
          { role: 'user', content: 'Create one with update_todo_list' },
          { role: 'assistant', content: 'ok' },
          { role: 'user', content: [{ type: 'text', text: REMINDER }, { type: 'text', text: 'Go on.' }] },
        ],
      },
      { 'anthropic-version': '2023-06-01' },
    );
    expect(sent).not.toContain('TodoWrite');
    expect(sent).not.toContain('update_todo_list');
    expect(sent).toContain('AI助手.');
    expect(sent).toContain('Go on.');
  });

  it('responses (passed through): input items are filtered', async () => {
    const sent = await post('/v1/responses', {
      model: MODEL_OF_TYPE.openai,
      instructions: 'You are Kilo Code.',
      input: [{ role: 'user', content: [{ type: 'input_text', text: REMINDER }, { type: 'input_text', text: 'Hello.' }] }],
    });
    expect(sent).not.toContain('TodoWrite');
    expect(sent).not.toContain('Kilo Code');
    expect(sent).toContain('Hello.');
  });

  it('a converted request (chat → Claude) is filtered the same way', async () => {
    const sent = await post('/v1/chat/completions', {
      model: MODEL_OF_TYPE.anthropic,
      messages: [{ role: 'user', content: [{ type: 'text', text: REMINDER }, { type: 'text', text: 'Converted.' }] }],
    });
    expect(sent).not.toContain('TodoWrite');
    expect(sent).toContain('Converted.');
  });

  it('shows the match count per rule on /status.json and /metrics', async () => {
    const status = (await (await fetch(`${h.url}/status.json`)).json()) as { keywordFilter: { enabled: boolean; rules: Array<{ id: string; index: number; matches: number }> } };
    expect(status.keywordFilter.enabled).toBe(true);
    const byIndex = Object.fromEntries(status.keywordFilter.rules.map((r) => [r.index, r.matches]));
    expect(byIndex).toEqual({ 0: 4, 1: 1, 7: 3 });
    const metrics = await (await fetch(`${h.url}/metrics`)).text();
    expect(metrics).toContain('droid2api_keyword_filter_matches_total{rule="rule-prevent-prompt-leak"} 5');
    expect(metrics).toContain('droid2api_keyword_filter_matches_total{rule="rule-system-engineering-agent"} 3');
  });

  it('reloads an edited file, and keeps the rules in force when an edit is invalid', async () => {
    const stop = watchFilterFile(h.services, 20);
    try {
      writeFileSync(file, JSON.stringify({ enabled: true, rules: [{ id: 'bad', pattern: { type: 'regex', value: '(' }, action: { type: 'replace' } }] }));
      const ask = () => post('/v1/chat/completions', { model: MODEL_OF_TYPE.common, messages: [{ role: 'user', content: 'secret word' }] });
      // The invalid edit changed nothing: the v2 rules still act.
      expect(await post('/v1/chat/completions', { model: MODEL_OF_TYPE.common, messages: [{ role: 'user', content: REMINDER }, { role: 'user', content: 'x' }] })).not.toContain('TodoWrite');
      writeFileSync(file, JSON.stringify({ enabled: true, rules: [{ id: 'new', pattern: { type: 'contains', value: 'secret' }, action: { type: 'replace', replacement: 'public' } }] }));
      await vi.waitFor(async () => expect(await ask()).toContain('public word'), { timeout: 5_000, interval: 30 });
    } finally {
      stop();
    }
  });
});
